"""Synthetic Javanese personal names and business names (no real person is named).

Names follow generations, as they do in Central Java: people born before about 1970 mostly carry
one traditional name (*Painem*, *Sukirno*), those born 1970–1994 two names (*Sri Wahyuni*, *Agus
Setiawan*), and the youngest modern Arabic-Javanese compound names (*Muhammad Rizky Pratama*).

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> names = person_names(np.array(["L", "P"]), np.array([1955, 2010]), rng)
>>> len(names), all(isinstance(n, str) and n for n in names)
(2, True)
"""

from __future__ import annotations

import numpy as np

from tuntas.synth.calibrate import IntArray

OLD_MALE = (
    "Sukirno",
    "Paiman",
    "Sarno",
    "Tukiman",
    "Wagiman",
    "Ngadiman",
    "Suparman",
    "Slamet",
    "Sutarno",
    "Sugiyo",
    "Parjo",
    "Karso",
    "Tugiyo",
    "Marjono",
    "Sumarno",
    "Wakijo",
    "Sukardi",
    "Sadiman",
    "Sumadi",
    "Kasiman",
    "Harjo",
    "Suwarno",
    "Mulyono",
    "Sutrisno",
    "Darmo",
    "Jumadi",
    "Ponimin",
    "Samiran",
    "Sardi",
    "Wiyono",
    "Sukiman",
    "Poniran",
    "Sastro",
    "Kartono",
    "Giyono",
    "Painu",
)
OLD_FEMALE = (
    "Painem",
    "Tukiyem",
    "Sukinem",
    "Wagiyem",
    "Ngatinah",
    "Sumini",
    "Partini",
    "Tumini",
    "Ngatini",
    "Sarinah",
    "Suginah",
    "Poniyem",
    "Sumarni",
    "Kasinem",
    "Wartini",
    "Suwarni",
    "Parmi",
    "Jumiyem",
    "Tuginem",
    "Satinem",
    "Mariyem",
    "Semi",
    "Karsinah",
    "Rubiyem",
    "Samini",
    "Giyem",
    "Suratmi",
    "Sunarti",
    "Wasini",
    "Saminah",
    "Sukini",
    "Warsini",
    "Ngadinem",
    "Tarmini",
    "Ponirah",
    "Kamsiyah",
)
MID_MALE_FIRST = (
    "Agus",
    "Budi",
    "Joko",
    "Eko",
    "Dwi",
    "Tri",
    "Bambang",
    "Hadi",
    "Wahyu",
    "Heri",
    "Sigit",
    "Teguh",
    "Didik",
    "Bayu",
    "Sri",
    "Arif",
    "Yudi",
    "Catur",
    "Hari",
    "Edi",
    "Rudi",
    "Nur",
    "Anto",
    "Sapto",
    "Gunawan",
    "Puji",
    "Widodo",
    "Aris",
    "Andi",
    "Setyo",
    "Endro",
    "Purwanto",
)
MID_MALE_SECOND = (
    "Setiawan",
    "Santoso",
    "Purnomo",
    "Prasetyo",
    "Wibowo",
    "Susilo",
    "Nugroho",
    "Riyadi",
    "Hartono",
    "Saputro",
    "Widodo",
    "Kurniawan",
    "Raharjo",
    "Suryanto",
    "Haryanto",
    "Sulistyo",
    "Wijayanto",
    "Prabowo",
    "Utomo",
    "Cahyono",
    "Pamungkas",
    "Hidayat",
    "Mulyadi",
    "Yulianto",
    "Wahyudi",
)
MID_FEMALE_FIRST = (
    "Sri",
    "Dwi",
    "Tri",
    "Endang",
    "Siti",
    "Yuni",
    "Rini",
    "Sulis",
    "Nur",
    "Ani",
    "Wiwik",
    "Tutik",
    "Eni",
    "Heni",
    "Sumi",
    "Lestari",
    "Retno",
    "Dewi",
    "Ika",
    "Puji",
    "Murni",
    "Yuli",
    "Umi",
    "Ninik",
    "Sugiarti",
    "Wahyu",
    "Indah",
    "Tatik",
)
MID_FEMALE_SECOND = (
    "Wahyuni",
    "Lestari",
    "Rahayu",
    "Suryani",
    "Astuti",
    "Handayani",
    "Sulistyowati",
    "Purwanti",
    "Mulyani",
    "Winarsih",
    "Hartati",
    "Setyowati",
    "Rahmawati",
    "Widayati",
    "Susanti",
    "Utami",
    "Wulandari",
    "Kusumawati",
    "Sari",
    "Fatimah",
    "Wahyuningsih",
    "Sumarsih",
    "Rejeki",
    "Suwarni",
)
YOUNG_MALE_FIRST = (
    "Muhammad",
    "Ahmad",
    "Rizky",
    "Dimas",
    "Aditya",
    "Fajar",
    "Bagus",
    "Galih",
    "Rafi",
    "Yoga",
    "Reza",
    "Aldi",
    "Bima",
    "Dafa",
    "Farhan",
    "Ilham",
    "Kevin",
    "Arya",
    "Naufal",
    "Rangga",
    "Satria",
    "Wisnu",
    "Zaki",
    "Fikri",
    "Danang",
    "Alfian",
)
YOUNG_MALE_SECOND = (
    "Pratama",
    "Saputra",
    "Ramadhan",
    "Nugraha",
    "Firmansyah",
    "Maulana",
    "Wicaksono",
    "Aditya",
    "Setiawan",
    "Putra",
    "Hidayat",
    "Kurniawan",
    "Prasetya",
    "Fauzan",
    "Akbar",
    "Wijaya",
    "Alfarizi",
    "Syahputra",
    "Permana",
    "Adi",
)
YOUNG_FEMALE_FIRST = (
    "Nabila",
    "Aulia",
    "Putri",
    "Salsabila",
    "Anisa",
    "Dinda",
    "Nadia",
    "Ayu",
    "Dewi",
    "Fitri",
    "Intan",
    "Keisha",
    "Laras",
    "Melati",
    "Nur",
    "Rani",
    "Safira",
    "Tiara",
    "Zahra",
    "Alya",
    "Citra",
    "Amelia",
    "Novita",
    "Rahma",
    "Siti",
    "Azzahra",
)
YOUNG_FEMALE_SECOND = (
    "Putri",
    "Rahmawati",
    "Lestari",
    "Maharani",
    "Safitri",
    "Ramadhani",
    "Kurniasari",
    "Azzahra",
    "Wulandari",
    "Aprilia",
    "Anggraini",
    "Pratiwi",
    "Nuraini",
    "Oktaviani",
    "Septiani",
    "Hapsari",
    "Kusuma",
    "Ningrum",
    "Salsabila",
    "Fitriani",
)

BUSINESS_WORDS = (
    "Sumber Rejeki",
    "Makmur",
    "Berkah",
    "Maju Jaya",
    "Barokah",
    "Sido Mulyo",
    "Lancar",
    "Sri Rejeki",
    "Karya Mandiri",
    "Tunggal",
    "Mulya",
    "Sido Makmur",
    "Rejeki Lancar",
    "Sinar Jaya",
    "Manunggal",
    "Tentrem",
    "Ayem",
    "Mekar Sari",
    "Sekar Arum",
    "Jaya Abadi",
    "Sido Dadi",
    "Mugi Rahayu",
    "Subur",
    "Gemah Ripah",
    "Santosa",
    "Lestari",
    "Sumber Makmur",
    "Mitra Usaha",
    "Putra Mandiri",
    "Dewi Sri",
)
"""Words that Klaten businesses typically carry in their names."""


def _pick(options: tuple[str, ...], n: int, rng: np.random.Generator) -> np.ndarray:
    return np.array(options, dtype=object)[rng.integers(0, len(options), n)]


def person_names(sex: np.ndarray, birth_year: IntArray, rng: np.random.Generator) -> np.ndarray:
    """A synthetic name per person, by sex (``L``/``P``) and generation (birth year)."""
    n = sex.size
    male = sex == "L"
    out = np.empty(n, dtype=object)
    old = birth_year < 1970
    young = birth_year >= 1995
    mid = ~old & ~young
    u = rng.random(n)
    for mask_sex, old_names, mf, ms, yf, ys in (
        (male, OLD_MALE, MID_MALE_FIRST, MID_MALE_SECOND, YOUNG_MALE_FIRST, YOUNG_MALE_SECOND),
        (
            ~male,
            OLD_FEMALE,
            MID_FEMALE_FIRST,
            MID_FEMALE_SECOND,
            YOUNG_FEMALE_FIRST,
            YOUNG_FEMALE_SECOND,
        ),
    ):
        m_old = mask_sex & old
        k = int(m_old.sum())
        single = _pick(old_names, k, rng)
        second = _pick(ms, k, rng)
        two = u[m_old] < 0.15  # some of the older generation carry two names
        out[m_old] = np.where(two, single + " " + second, single)
        m_mid = mask_sex & mid
        k = int(m_mid.sum())
        out[m_mid] = _pick(mf, k, rng) + " " + _pick(ms, k, rng)
        m_young = mask_sex & young
        k = int(m_young.sum())
        three = u[m_young] < 0.25
        first = _pick(yf, k, rng)
        middle = _pick(yf, k, rng)
        last = _pick(ys, k, rng)
        out[m_young] = np.where(
            three & (first != middle), first + " " + middle + " " + last, first + " " + last
        )
    return out
