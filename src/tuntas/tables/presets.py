"""Column presets: the headings and value labels of files people actually have (DESIGN §4).

A preset maps a file's headings to canonical column names and its value labels to canonical codes.
Headings are compared after :func:`normalize_heading` (lower case, every run of other characters
becomes ``_``), so ``"Hubungan Dengan Kpl. Keluarga"``, ``HUBUNGAN_DENGAN_KPL_KELUARGA`` and
``hubungan dengan kpl keluarga`` are the same heading. Value labels are compared the same way, so
``YA``, ``Ya`` and ``ya`` are one label.

The P3KE preset follows the family (*Keluarga*) and individual (*Individu*) exports seen in regency
systems; the synthetic generator writes its workbook with the same headings and labels
(:data:`P3KE_FAMILY_HEADINGS`, :data:`P3KE_PERSON_HEADINGS`, :func:`p3ke_label`).

Examples
--------
>>> normalize_heading("Hubungan Dengan Kpl. Keluarga")
'hubungan_dengan_kpl_keluarga'
>>> PRESETS["p3ke"]["persons"].headings["jenis_kelamin"]
'sex'
>>> p3ke_label("floor", "semen")
'Semen/Bata Merah'
>>> occupation_label("working", "A")
'Petani/Pekebun'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize_heading(text: str) -> str:
    """Lower case; each run of characters other than a–z and 0–9 becomes one ``_``; trimmed."""
    return _NON_ALNUM.sub("_", str(text).strip().lower()).strip("_")


normalize_label = normalize_heading
"""Value labels are normalised like headings."""

YES = ("ya", "y", "yes", "true", "1", "benar", "ada")
NO = ("tidak", "t", "tdk", "no", "n", "false", "0", "bukan", "tidak_ada")


@dataclass(frozen=True)
class Preset:
    """How to read one kind of file: heading aliases, value labels, constants, derived columns.

    ``headings`` maps normalised headings to canonical columns. ``values`` maps a canonical column to
    ``{normalised label: canonical code}``. ``defaults`` fills canonical columns the file lacks.
    ``occupation_heading`` names the heading whose Dukcapil occupation label yields ``activity`` and
    ``sector`` (see :data:`OCCUPATIONS`). ``sheet`` is the worksheet read from an xlsx file by default.
    """

    name: str
    kind: str
    headings: dict[str, str]
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    defaults: dict[str, object] = field(default_factory=dict)
    occupation_heading: str | None = None
    sheet: str | None = None


# Dukcapil occupation labels (Pekerjaan) → (activity, KBLI category). The first label for each pair
# is the one written by the synthetic generator.
OCCUPATIONS: tuple[tuple[str, str, str | None], ...] = (
    ("Petani/Pekebun", "working", "A"),
    ("Buruh Tani/Perkebunan", "working", "A"),
    ("Peternak", "working", "A"),
    ("Nelayan/Perikanan", "working", "A"),
    ("Karyawan Swasta", "working", "C"),
    ("Buruh Pabrik", "working", "C"),
    ("Tukang Jahit", "working", "C"),
    ("Pengrajin", "working", "C"),
    ("Tukang Batu", "working", "F"),
    ("Buruh Harian Lepas", "working", "F"),
    ("Pedagang", "working", "G"),
    ("Wiraswasta", "working", "G"),
    ("Sopir", "working", "H"),
    ("Buruh Warung/Rumah Makan", "working", "I"),
    ("Guru", "working", "P"),
    ("Perawat", "working", "Q"),
    ("Karyawan Honorer", "working", "O"),
    ("Pembantu Rumah Tangga", "working", "T"),
    ("Penata Rambut", "working", "S"),
    ("Belum/Tidak Bekerja", "seeking", None),
    ("Mengurus Rumah Tangga", "housekeeping", None),
    ("Pelajar/Mahasiswa", "school", None),
    ("Pensiunan", "unable", None),
    ("Tidak Mampu Bekerja", "unable", None),
)


def occupation_label(activity: str, sector: str | None) -> str:
    """The P3KE occupation label for an activity and KBLI category (first match in the table)."""
    for label, act, sec in OCCUPATIONS:
        if act == activity and (sec == sector or (act != "working" and sec is None)):
            return label
    if activity == "working":
        return "Wiraswasta"
    raise KeyError(f"no occupation label for activity={activity!r}, sector={sector!r}")


# Canonical code → P3KE label (the first label is written; every label is read).
_P3KE_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "floor": {
        "keramik": ("Keramik", "Marmer/Granit", "Ubin/Tegel/Teraso", "Parket/Vinil/Karpet"),
        "semen": ("Semen/Bata Merah", "Semen", "Plester"),
        "kayu": ("Kayu/Papan", "Kayu/Papan Kualitas Rendah", "Kayu/Papan Kualitas Tinggi"),
        "bambu": ("Bambu",),
        "tanah": ("Tanah",),
    },
    "wall": {
        "tembok": ("Tembok", "Tembok Diplester"),
        "tembok_tanpa_plester": ("Tembok Tanpa Plester", "Plesteran Anyaman Bambu/Kawat"),
        "kayu": ("Kayu/Papan", "Kayu", "Papan"),
        "bambu": ("Bambu", "Anyaman Bambu"),
    },
    "roof": {
        "beton": ("Beton", "Beton/Genteng Beton"),
        "genteng": ("Genteng", "Genteng Keramik", "Genteng Tanah Liat"),
        "asbes": ("Asbes",),
        "seng": ("Seng",),
        "jerami": ("Jerami/Ijuk/Daun-daunan/Rumbia", "Jerami", "Ijuk", "Rumbia", "Daun"),
    },
    "toilet": {
        "sendiri": ("Ya, Sendiri", "Sendiri", "Ya"),
        "bersama": ("Ya, Bersama", "Bersama", "Umum"),
        "tidak_ada": ("Tidak Ada", "Tidak"),
    },
    "water": {
        "air_kemasan": ("Air Kemasan/Isi Ulang", "Air Kemasan", "Air Isi Ulang"),
        "ledeng": ("Ledeng/PAM", "Ledeng", "PDAM"),
        "sumur_terlindung": ("Sumur Bor/Terlindung", "Sumur Bor", "Sumur Terlindung"),
        "sumur_tak_terlindung": ("Sumur Tak Terlindung", "Sumur Tidak Terlindung"),
        "mata_air": ("Mata Air", "Mata Air Terlindung", "Mata Air Tak Terlindung", "Air Sungai"),
    },
    "lighting": {
        "pln_1300_lebih": ("Listrik PLN 1.300 VA ke atas", "PLN 1300 VA ke atas", "PLN 2200 VA"),
        "pln_900": ("Listrik PLN 900 VA", "PLN 900 VA"),
        "pln_450": ("Listrik PLN 450 VA", "PLN 450 VA"),
        "listrik_non_pln": ("Listrik Non PLN", "Non PLN"),
        "bukan_listrik": ("Bukan Listrik", "Tidak Ada Listrik", "Pelita/Sentir/Obor"),
    },
    "cooking_fuel": {
        "listrik": ("Listrik",),
        "gas_besar": (
            "Gas 5,5 kg/12 kg",
            "Gas 5,5 kg",
            "Gas 12 kg",
            "Gas Lebih dari 3 kg",
            "Gas Kota",
        ),
        "gas_3kg": ("Gas 3 kg", "Elpiji 3 kg", "LPG 3 kg"),
        "minyak_tanah": ("Minyak Tanah",),
        "kayu_bakar": ("Kayu Bakar", "Arang", "Kayu"),
    },
    "owns_house": {
        "true": ("Milik Sendiri", "Milik Sendiri/Keluarga"),
        "false": ("Sewa/Kontrak", "Sewa", "Kontrak", "Bebas Sewa", "Menumpang", "Dinas", "Lainnya"),
    },
    "sex": {
        "L": ("Laki-laki", "Laki-Laki", "Pria", "L", "LK"),
        "P": ("Perempuan", "Wanita", "P", "PR"),
    },
    "relationship": {
        "kepala_keluarga": ("Kepala Keluarga", "KK", "Kepala"),
        "istri_suami": ("Istri/Suami", "Istri", "Suami"),
        "anak": ("Anak", "Anak Kandung", "Anak Tiri", "Anak Angkat"),
        "menantu": ("Menantu",),
        "cucu": ("Cucu",),
        "orang_tua": ("Orang Tua", "Ayah", "Ibu"),
        "mertua": ("Mertua",),
        "famili_lain": ("Famili Lain", "Saudara"),
        "lainnya": ("Lainnya", "Pembantu"),
    },
    "status": {
        "verified_extreme": ("Miskin Ekstrem", "Terverifikasi Miskin Ekstrem", "Layak"),
        "not_extreme": ("Bukan Miskin Ekstrem", "Tidak Miskin Ekstrem", "Tidak Layak"),
        "candidate": ("Calon", "Belum Diverifikasi"),
    },
    "marital_status": {
        "belum_kawin": ("Belum Kawin",),
        "kawin": ("Kawin", "Kawin Tercatat", "Kawin Belum Tercatat"),
        "cerai_hidup": ("Cerai Hidup",),
        "cerai_mati": ("Cerai Mati",),
    },
    "education": {
        "tidak_sekolah": (
            "Tidak/Belum Sekolah",
            "Tidak Sekolah",
            "Belum Sekolah",
            "Tidak Tamat SD",
        ),
        "sd": ("SD/Sederajat", "Tamat SD/Sederajat", "SD", "MI"),
        "smp": ("SMP/Sederajat", "SLTP/Sederajat", "SMP", "SLTP", "MTs"),
        "sma": ("SMA/Sederajat", "SLTA/Sederajat", "SMA", "SMK", "SLTA", "MA"),
        "perguruan_tinggi": (
            "Diploma/S1 ke atas",
            "Diploma I/II",
            "Akademi/Diploma III/Sarjana Muda",
            "Diploma IV/Strata I",
            "Strata II",
            "Strata III",
            "Perguruan Tinggi",
        ),
    },
}


def p3ke_label(column: str, code: str) -> str:
    """The label the P3KE export uses for a canonical code (the first known label)."""
    return _P3KE_LABELS[column][code][0]


def p3ke_labels(column: str) -> dict[str, str]:
    """``{canonical code: written label}`` for one column (used by writers)."""
    return {code: labels[0] for code, labels in _P3KE_LABELS[column].items()}


def _reading_map(column: str) -> dict[str, str]:
    return {
        normalize_label(label): code
        for code, labels in _P3KE_LABELS[column].items()
        for label in labels
    }


P3KE_FAMILY_HEADINGS: tuple[str, ...] = (
    "ID Keluarga",
    "Provinsi",
    "Kabupaten",
    "Kecamatan",
    "Desa",
    "Kode Kemendagri",
    "Desil Kesejahteraan",
    "Alamat",
    "Kepala Keluarga",
    "NIK",
    "Padan Dukcapil",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "Pekerjaan",
    "Pendidikan",
    "Jumlah Anggota Keluarga",
    "Kepemilikan Rumah",
    "Memiliki Simpanan Uang/Perhiasan/Ternak/Lainnya",
    "Jenis Atap",
    "Jenis Dinding",
    "Jenis Lantai",
    "Sumber Penerangan",
    "Bahan Bakar Memasak",
    "Sumber Air Minum",
    "Memiliki Fasilitas Buang Air Besar",
    "Penerima BPNT",
    "Penerima BPUM",
    "Penerima BST",
    "Penerima PKH",
    "Penerima SEMBAKO",
    "Resiko Stunting",
    "Pensasaran",
)
"""Headings of the P3KE family export, in the order regency systems write them."""

P3KE_PERSON_HEADINGS: tuple[str, ...] = (
    "ID Keluarga",
    "ID Individu",
    "Provinsi",
    "Kabupaten",
    "Kecamatan",
    "Desa",
    "Kode Kemendagri",
    "Desil Kesejahteraan",
    "Alamat",
    "Nama",
    "NIK",
    "Padan Dukcapil",
    "Jenis Kelamin",
    "Hubungan Dengan Kpl. Keluarga",
    "Tanggal Lahir",
    "Status Kawin",
    "Pekerjaan",
    "Pendidikan",
    "Usia dibawah 7 tahun",
    "Usia 7 - 12 tahun",
    "Usia 13 - 15 tahun",
    "Usia 16 - 18 tahun",
    "Usia 19 - 21 tahun",
    "Usia 22 - 59 tahun",
    "Usia 60 tahun keatas",
)
"""Headings of the P3KE individual export."""

_YES_NO = {**dict.fromkeys(YES, "true"), **dict.fromkeys(NO, "false")}

P3KE_FAMILY = Preset(
    name="p3ke",
    kind="households",
    sheet="Keluarga",
    headings={
        "id_keluarga": "household_id",
        "kode_kemendagri": "region_code",
        "desil_kesejahteraan": "welfare_decile",
        "kepala_keluarga": "head_name",
        "nik": "head_nik",
        "jumlah_anggota_keluarga": "size",
        "kepemilikan_rumah": "owns_house",
        "memiliki_simpanan_uang_perhiasan_ternak_lainnya": "has_savings",
        "jenis_atap": "roof",
        "jenis_dinding": "wall",
        "jenis_lantai": "floor",
        "sumber_penerangan": "lighting",
        "bahan_bakar_memasak": "cooking_fuel",
        "sumber_air_minum": "water",
        "memiliki_fasilitas_buang_air_besar": "toilet",
        "penerima_bpnt": "bpnt",
        "penerima_bpum": "bpum",
        "penerima_bst": "bst",
        "penerima_pkh": "pkh",
        "resiko_stunting": "stunting_risk",
        "status_verifikasi": "verification_status",
        "tanggal_verifikasi": "verification_date",
        "diverifikasi_oleh": "verified_by",
        "alasan_verifikasi": "verification_reason",
        "nomor_berita_acara": "verification_minutes_ref",
    },
    values={
        col: _reading_map(col)
        for col in (
            "floor",
            "wall",
            "roof",
            "toilet",
            "water",
            "lighting",
            "cooking_fuel",
            "owns_house",
        )
    }
    | {
        "verification_status": {
            "calon": "candidate",
            "candidate": "candidate",
            "miskin_ekstrem": "verified_extreme",
            "terverifikasi_miskin_ekstrem": "verified_extreme",
            "verified_extreme": "verified_extreme",
            "bukan_miskin_ekstrem": "not_extreme",
            "tidak_miskin_ekstrem": "not_extreme",
            "not_extreme": "not_extreme",
        }
    },
    defaults={"decile_source": "P3KE-2023", "weight": 1.0},
)

P3KE_PERSONS = Preset(
    name="p3ke",
    kind="persons",
    sheet="Individu",
    headings={
        "id_keluarga": "household_id",
        "id_individu": "person_id",
        "nama": "name",
        "nik": "nik",
        "jenis_kelamin": "sex",
        "hubungan_dengan_kpl_keluarga": "relationship",
        "hubungan_dengan_kepala_keluarga": "relationship",
        "tanggal_lahir": "birth_date",
        "status_kawin": "marital_status",
        "pendidikan": "education",
    },
    values={
        col: _reading_map(col) for col in ("sex", "relationship", "marital_status", "education")
    },
    occupation_heading="pekerjaan",
)

OCCUPATION_READING: dict[str, tuple[str, str | None]] = {
    normalize_label(label): (activity, sector) for label, activity, sector in OCCUPATIONS
}
"""Normalised Dukcapil occupation label → (activity, KBLI category)."""

GENERIC_ALIASES: dict[str, str] = {
    # Indonesian and common alternative headings accepted for any file (no preset needed).
    "id_keluarga": "household_id",
    "id_rumah_tangga": "household_id",
    "id_rt": "household_id",
    "id_individu": "person_id",
    "id_art": "person_id",
    "kode_wilayah": "region_code",
    "kode_desa": "region_code",
    "kode_kemendagri": "region_code",
    "kode_desa_kelurahan": "region_code",
    "jumlah_art": "size",
    "jumlah_anggota_keluarga": "size",
    "jml_art": "size",
    "desil": "welfare_decile",
    "desil_kesejahteraan": "welfare_decile",
    "pengeluaran_per_kapita": "consumption_pc",
    "pengeluaran_perkapita": "consumption_pc",
    "penimbang": "weight",
    "bobot": "weight",
    "strata": "stratum",
    "nama": "name",
    "nama_lengkap": "name",
    "jenis_kelamin": "sex",
    "jk": "sex",
    "tanggal_lahir": "birth_date",
    "tgl_lahir": "birth_date",
    "hubungan_dengan_kepala_keluarga": "relationship",
    "hubungan_dengan_kpl_keluarga": "relationship",
    "hub_kk": "relationship",
    "status_kawin": "marital_status",
    "pendidikan": "education",
    "kegiatan": "activity",
    "lapangan_usaha": "sector",
    "keterampilan": "skills",
    "disabilitas": "disability",
    "jarak_tempuh_maks_km": "max_commute_km",
    "nama_usaha": "name",
    "bentuk_badan_usaha": "legal_form",
    "tenaga_kerja": "workers",
    "jumlah_tenaga_kerja": "workers",
    "omzet_tahunan": "turnover_year",
    "omzet_per_tahun": "turnover_year",
    "aset": "assets",
    "tahun_berdiri": "established",
    "tanggal_berdiri": "established",
    "sentra": "cluster",
    "koperasi": "is_cooperative",
    "jumlah_anggota": "members",
    "upah_per_bulan": "wage_month",
    "akses_kur": "kur_accesses",
    "tahun": "year",
    "jumlah_penduduk": "population",
    "jumlah_rumah_tangga": "households",
    "jumlah_keluarga": "households",
    "luas_km2": "area_km2",
    "perkotaan": "urban",
    "hasil_verifikasi": "status",
    "status_verifikasi": "status",
    "tanggal_musdes": "decided_on",
    "tanggal_musyawarah": "decided_on",
    "tanggal_verifikasi": "decided_on",
    "diverifikasi_oleh": "decided_by",
    "verifikator": "decided_by",
    "alasan": "reason",
    "alasan_verifikasi": "reason",
    "nomor_berita_acara": "minutes_ref",
    "no_berita_acara": "minutes_ref",
    "berita_acara": "minutes_ref",
    "keterangan": "note",
    "id_lowongan": "opening_id",
    "kode_lowongan": "opening_id",
    "upah": "wage_month",
    "upah_bulanan": "wage_month",
    "gaji": "wage_month",
    "jumlah_lowongan": "capacity",
    "kebutuhan_pekerja": "capacity",
    "tanggal_lowongan": "posted_on",
    "sumber": "source",
}

PRESETS: dict[str, dict[str, Preset]] = {
    "p3ke": {"households": P3KE_FAMILY, "persons": P3KE_PERSONS}
}
"""Known presets by name, then by table kind."""

BOOLEAN_LABELS: dict[str, str] = _YES_NO
"""Normalised yes/no labels → ``"true"``/``"false"`` (YA/TIDAK, Y/T, 1/0…)."""
