"""The canonical tables: column names, types, ranges and code lists (DESIGN §4).

These names are the contract between the synthetic generator, the readers and presets, validation,
the database and every analysis. Money is Rupiah; ``*_pc`` is per capita per month. Region codes are
dotted Kemendagri codes at desa/kelurahan level (``33.10.03.2006``).

Examples
--------
>>> TABLES["persons"].key
('person_id',)
>>> HOUSEHOLDS.column("floor").choices[:3]
('tanah', 'bambu', 'kayu')
>>> sorted(TABLES)
['enterprises', 'households', 'openings', 'persons', 'survey', 'verifications', 'villages']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

# ---------------------------------------------------------------- code lists (values are stored as is)
FLOOR = ("tanah", "bambu", "kayu", "semen", "keramik")
WALL = ("bambu", "kayu", "tembok_tanpa_plester", "tembok")
ROOF = ("jerami", "seng", "asbes", "genteng", "beton")
TOILET = ("tidak_ada", "bersama", "sendiri")
WATER = ("sumur_tak_terlindung", "sumur_terlindung", "mata_air", "ledeng", "air_kemasan")
LIGHTING = ("bukan_listrik", "listrik_non_pln", "pln_450", "pln_900", "pln_1300_lebih")
COOKING_FUEL = ("kayu_bakar", "minyak_tanah", "gas_3kg", "gas_besar", "listrik")
VERIFICATION_STATUS = ("candidate", "verified_extreme", "not_extreme")
SEX = ("L", "P")
RELATIONSHIP = (
    "kepala_keluarga",
    "istri_suami",
    "anak",
    "menantu",
    "cucu",
    "orang_tua",
    "mertua",
    "famili_lain",
    "lainnya",
)
MARITAL_STATUS = ("belum_kawin", "kawin", "cerai_hidup", "cerai_mati")
EDUCATION = ("tidak_sekolah", "sd", "smp", "sma", "perguruan_tinggi")
ACTIVITY = ("working", "seeking", "school", "housekeeping", "unable")
KBLI_CATEGORIES = tuple("ABCDEFGHIJKLMNOPQRSTU")
LEGAL_FORM = ("perorangan", "ud", "cv", "pt", "koperasi", "bumdes", "firma")
SOCIAL_ASSISTANCE = ("pkh", "bpnt", "pbi_jkn", "bpum", "bst")
"""Social-assistance flags carried by a registry household (P3KE: Penerima PKH, BPNT/Sembako, …)."""

INDICATORS = (
    "floor",
    "wall",
    "roof",
    "toilet",
    "water",
    "lighting",
    "cooking_fuel",
    "owns_house",
    "has_savings",
)
"""Housing and asset indicators shared by the registry and the survey (the PMT's regressors)."""


@dataclass(frozen=True)
class Column:
    """One column of a canonical table.

    ``kind`` is one of ``str``, ``int``, ``float``, ``bool``, ``date``, ``region`` (a dotted desa code),
    ``nik`` (16 digits, personal), ``nib`` (13 digits), ``kbli`` (a KBLI 2020 code or category letter).
    ``personal`` columns are never stored, logged or shown in clear.
    """

    name: str
    kind: str
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    personal: bool = False
    description: str = ""

    @property
    def dtype(self) -> pl.DataType:
        """The Polars type of the column once parsed."""
        return {
            "str": pl.Utf8(),
            "int": pl.Int64(),
            "float": pl.Float64(),
            "bool": pl.Boolean(),
            "date": pl.Date(),
            "region": pl.Utf8(),
            "nik": pl.Utf8(),
            "nib": pl.Utf8(),
            "kbli": pl.Utf8(),
        }[self.kind]


@dataclass(frozen=True)
class Table:
    """A canonical table: its key, its columns, and the file stem used by readers and writers."""

    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    description: str = ""
    _by_name: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name.update({c.name: c for c in self.columns})

    @property
    def names(self) -> list[str]:
        """Column names in canonical order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        return self._by_name[name]

    def has(self, name: str) -> bool:
        """Whether the table has a column called ``name``."""
        return name in self._by_name

    @property
    def polars_schema(self) -> dict[str, pl.DataType]:
        """``{name: dtype}`` for building or casting frames."""
        return {c.name: c.dtype for c in self.columns}


def _indicator_columns() -> tuple[Column, ...]:
    return (
        Column("floor", "str", choices=FLOOR, description="main floor material"),
        Column("wall", "str", choices=WALL, description="main wall material"),
        Column("roof", "str", choices=ROOF, description="main roof material"),
        Column("toilet", "str", choices=TOILET, description="toilet facility"),
        Column("water", "str", choices=WATER, description="drinking-water source"),
        Column("lighting", "str", choices=LIGHTING, description="lighting source / PLN connection"),
        Column("cooking_fuel", "str", choices=COOKING_FUEL, description="main cooking fuel"),
        Column("owns_house", "bool", description="owns the house lived in"),
        Column(
            "has_savings", "bool", description="has savings, jewellery, livestock or other assets"
        ),
    )


HOUSEHOLDS = Table(
    name="households",
    key=("household_id",),
    description="P3KE/DTSEN-like registry of the poorest households (one row per family)",
    columns=(
        Column(
            "household_id", "str", required=True, description="registry family id (ID Keluarga)"
        ),
        Column("region_code", "region", required=True, description="desa/kelurahan of residence"),
        Column(
            "size", "int", required=True, minimum=1, maximum=30, description="members (persons)"
        ),
        Column("welfare_decile", "int", required=True, minimum=1, maximum=10, description="desil"),
        Column("decile_source", "str", required=True, description="e.g. P3KE-2023, DTSEN-2025"),
        Column("consumption_pc", "float", minimum=0, description="Rp/capita/month, mostly unknown"),
        Column("weight", "float", minimum=0, description="design weight; 1 for a census registry"),
        *_indicator_columns(),
        Column("pkh", "bool", description="receives PKH"),
        Column("bpnt", "bool", description="receives BPNT / Sembako"),
        Column("pbi_jkn", "bool", description="JKN premium paid by the state (PBI)"),
        Column("bpum", "bool", description="received BPUM (micro-business cash aid)"),
        Column("bst", "bool", description="received BST (cash social assistance)"),
        Column("stunting_risk", "bool", description="family at risk of stunting (BKKBN)"),
        Column("head_nik", "nik", personal=True, description="NIK of the head of family"),
        Column("head_name", "str", personal=True, description="name of the head of family"),
        Column(
            "verification_status",
            "str",
            choices=VERIFICATION_STATUS,
            description="desa verification",
        ),
        Column("verification_date", "date", description="date of the village consultation"),
        Column("verified_by", "str", description="who verified (desa, facilitator)"),
        Column("verification_reason", "str", description="standard reason for the decision"),
        Column(
            "verification_minutes_ref", "str", description="berita acara (signed minutes) reference"
        ),
    ),
)

PERSONS = Table(
    name="persons",
    key=("person_id",),
    description="members of registry households (one row per person)",
    columns=(
        Column("person_id", "str", required=True, description="registry person id (ID Individu)"),
        Column("household_id", "str", required=True, description="the person's family"),
        Column("nik", "nik", required=True, personal=True, description="Nomor Induk Kependudukan"),
        Column("name", "str", personal=True, description="full name"),
        Column(
            "relationship", "str", required=True, choices=RELATIONSHIP, description="to the head"
        ),
        Column(
            "sex", "str", required=True, choices=SEX, description="L (laki-laki) / P (perempuan)"
        ),
        Column("birth_date", "date", required=True, description="date of birth"),
        Column("marital_status", "str", choices=MARITAL_STATUS, description="status kawin"),
        Column("education", "str", choices=EDUCATION, description="highest schooling completed"),
        Column("activity", "str", choices=ACTIVITY, description="main activity last week"),
        Column("sector", "kbli", description="KBLI category letter of the main work"),
        Column("skills", "str", description="skill tags separated by ';'"),
        Column("disability", "bool", description="has a disability"),
        Column(
            "max_commute_km", "float", minimum=0, maximum=200, description="farthest daily commute"
        ),
    ),
)

ENTERPRISES = Table(
    name="enterprises",
    key=("enterprise_id", "year"),
    description="UMKM, cooperatives and BUMDes, one row per enterprise and snapshot year",
    columns=(
        Column("enterprise_id", "str", required=True, description="stable enterprise id"),
        Column(
            "year", "int", required=True, minimum=2000, maximum=2100, description="snapshot year"
        ),
        Column("nib", "nib", description="Nomor Induk Berusaha (13 digits), if registered"),
        Column("name", "str", required=True, description="business name"),
        Column("legal_form", "str", required=True, choices=LEGAL_FORM, description="legal form"),
        Column(
            "kbli", "kbli", required=True, description="5-digit KBLI 2020 code or category letter"
        ),
        Column(
            "region_code", "region", required=True, description="desa/kelurahan of the business"
        ),
        Column("lat", "float", minimum=-11.5, maximum=6.5, description="latitude (WGS84)"),
        Column("lon", "float", minimum=94.5, maximum=141.5, description="longitude (WGS84)"),
        Column(
            "workers", "int", required=True, minimum=0, maximum=100000, description="incl. owner"
        ),
        Column("turnover_year", "float", minimum=0, description="sales, Rp per year"),
        Column("assets", "float", minimum=0, description="Rp, excluding land and buildings"),
        Column("established", "date", description="date the business started"),
        Column("cluster", "str", description="sentra (cluster) name"),
        Column("is_cooperative", "bool", required=True, description="koperasi"),
        Column("members", "int", minimum=0, description="cooperative members"),
        Column("wage_month", "float", minimum=0, description="average worker wage, Rp per month"),
        Column(
            "kur_accesses", "int", minimum=0, maximum=20, description="KUR loans received so far"
        ),
        Column("owner_household_id", "str", description="owner's registry family, if any"),
    ),
)

SURVEY = Table(
    name="survey",
    key=("household_id",),
    description="Susenas-like household sample with consumption, strata, PSUs and weights",
    columns=(
        Column("household_id", "str", required=True, description="survey household id"),
        Column("region_code", "region", required=True, description="desa/kelurahan"),
        Column("size", "int", required=True, minimum=1, maximum=30, description="members"),
        Column("consumption_pc", "float", required=True, minimum=0, description="Rp/capita/month"),
        Column("weight", "float", required=True, minimum=0, description="household design weight"),
        Column("stratum", "str", required=True, description="sampling stratum"),
        Column("psu", "str", required=True, description="primary sampling unit"),
        Column("urban", "bool", description="urban area (kelurahan / perkotaan)"),
        Column("head_sex", "str", choices=SEX, description="sex of the head"),
        Column("head_age", "int", minimum=10, maximum=110, description="age of the head, years"),
        Column("head_education", "str", choices=EDUCATION, description="schooling of the head"),
        Column("head_sector", "kbli", description="KBLI category of the head's work"),
        *_indicator_columns(),
    ),
)

VILLAGES = Table(
    name="villages",
    key=("region_code",),
    description="village profiles (Podes-like), one row per desa/kelurahan",
    columns=(
        Column("region_code", "region", required=True, description="desa/kelurahan"),
        Column(
            "year", "int", required=True, minimum=2000, maximum=2100, description="profile year"
        ),
        Column("population", "int", required=True, minimum=0, description="residents"),
        Column("households", "int", required=True, minimum=0, description="households"),
        Column("area_km2", "float", minimum=0, description="area, km²"),
        Column("urban", "bool", description="urban (perkotaan)"),
        Column(
            "distance_to_kecamatan_km", "float", minimum=0, description="to the kecamatan office"
        ),
        Column("distance_to_regency_km", "float", minimum=0, description="to the regency capital"),
        Column("has_market", "bool", description="has a permanent market"),
        Column(
            "road_surface", "str", choices=("aspal", "beton", "diperkeras", "tanah"), description=""
        ),
        Column("main_commodity", "str", description="main economic activity / commodity"),
        Column("bumdes_active", "bool", description="has an active BUMDes"),
        Column("cooperatives", "int", minimum=0, description="number of cooperatives"),
        Column("village_fund", "float", minimum=0, description="Dana Desa, Rp per year"),
        Column("loci_2022", "bool", description="priority locus for extreme poverty 2022"),
        Column("loci_2023", "bool", description="priority locus for extreme poverty 2023"),
    ),
)

VERIFICATIONS = Table(
    name="verifications",
    key=("household_id", "minutes_ref"),
    description=(
        "decisions of the village consultation (musyawarah desa) on registry households, one row per "
        "household and berita acara; the latest decision becomes the household's verification status"
    ),
    columns=(
        Column("household_id", "str", required=True, description="registry family id"),
        Column("status", "str", required=True, choices=VERIFICATION_STATUS, description="decision"),
        Column("decided_on", "date", required=True, description="date of the village consultation"),
        Column("decided_by", "str", required=True, description="who decided (desa, facilitator)"),
        Column("reason", "str", required=True, description="standard reason for the decision"),
        Column(
            "minutes_ref",
            "str",
            required=True,
            description="berita acara (signed minutes) reference",
        ),
        Column("note", "str", description="free note"),
    ),
)

OPENINGS = Table(
    name="openings",
    key=("opening_id",),
    description="recorded job openings (lowongan) that extreme-poor workers can be matched to",
    columns=(
        Column("opening_id", "str", required=True, description="opening id"),
        Column(
            "region_code", "region", required=True, description="desa/kelurahan of the workplace"
        ),
        Column(
            "kbli", "kbli", required=True, description="5-digit KBLI 2020 code or category letter"
        ),
        Column("wage_month", "float", required=True, minimum=0, description="wage, Rp per month"),
        Column(
            "capacity", "int", required=True, minimum=1, maximum=10000, description="workers wanted"
        ),
        Column("enterprise_id", "str", description="the enterprise offering it, if known"),
        Column("posted_on", "date", description="date the opening was recorded"),
        Column("source", "str", description="who recorded it (PLUT, Disnaker, pendamping, …)"),
        Column("note", "str", description="free note"),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t for t in (HOUSEHOLDS, PERSONS, ENTERPRISES, SURVEY, VILLAGES, VERIFICATIONS, OPENINGS)
}
"""The importable canonical tables, by name (the KIND of ``tuntas import KIND FILE``)."""
