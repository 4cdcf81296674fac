"""Reference data: regions (Kemendagri 2025), KBLI 2020, boundaries, input-output tables."""

from tuntas.reference.geo import boundaries, centroids, haversine_km
from tuntas.reference.kbli import (
    category_of,
    is_kbli,
    kbli_ancestors,
    kbli_children,
    kbli_item,
    kbli_level,
    kbli_table,
)
from tuntas.reference.regions import (
    LEVELS,
    Region,
    all_regions,
    ancestors,
    by_prefix,
    children,
    descendants,
    exists,
    level_of,
    name_of,
    normalize_code,
    normalize_codes,
    region,
)

__all__ = [
    "LEVELS",
    "Region",
    "all_regions",
    "ancestors",
    "boundaries",
    "by_prefix",
    "category_of",
    "centroids",
    "children",
    "descendants",
    "exists",
    "haversine_km",
    "is_kbli",
    "kbli_ancestors",
    "kbli_children",
    "kbli_item",
    "kbli_level",
    "kbli_table",
    "level_of",
    "name_of",
    "normalize_code",
    "normalize_codes",
    "region",
]
