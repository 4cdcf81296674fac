"""The Django front door (the only package that imports Django).

Apps: ``registry`` (households, persons, survey, village profiles), ``enterprises`` (UMKM,
cooperatives, BUMDes), ``imports`` (import batches and the flags they raised).
"""
