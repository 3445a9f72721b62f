"""The Government's service index (Decision 766/QĐ-TTg) as the national portal publishes it, in one package.

``definition`` (components, maxima, periods), ``units`` (portal names → official units), ``formats`` (one
adapter per file format the portal or a province produces), ``store`` (the index folder), ``analysis``
(ranks, bands, changes), ``words``/``charts``/``sections`` (the report), ``message`` (the weekly chat message)
and ``report`` (rendering). It sits above ``publish``, which it uses to render.
"""
