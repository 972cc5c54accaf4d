"""Names across papers: when two written names mean the same thing, and what to call it.

:mod:`.fold` folds a name into a key (the exact matching of the eval rules, and
the stronger grouping key); :mod:`.acronyms` is the one finder of "Long Form
(ACRONYM)" definitions; :mod:`.canonical` links keys into entities (acronyms,
user aliases) and picks each entity's display name.
"""
