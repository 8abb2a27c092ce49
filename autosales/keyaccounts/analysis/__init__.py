"""The key-account analysis over the per-customer fact arrays: value figures, rankings, pyramid,
scorecard, Pareto and whale curve, method comparison, pitfalls, account types and RFM.

Everything here is vectorised over customers (numpy); nothing loops over orders.
"""

from .base import (
    EPS,
    GRADES,
    LONG_AGREEMENT_DAYS,
    TYPES,
    Analysis,
    Config,
    competition_rank,
    key_count,
    money,
    normalise,
    safe_divide,
    share,
)
from .comparison import METHODS, comparison_reason, method_flags, method_labels, weakest_indicators
from .pitfalls import pitfall_message
from .result import ROW_FIELDS, analyse, customer_row
from .segments import RFM_SEGMENTS, rfm_segment_label, type_reasons
from .value import INDICATOR_SOURCE, RANK_SOURCE, indicator_values

__all__ = [
    "Analysis",
    "Config",
    "EPS",
    "GRADES",
    "INDICATOR_SOURCE",
    "LONG_AGREEMENT_DAYS",
    "METHODS",
    "RANK_SOURCE",
    "RFM_SEGMENTS",
    "ROW_FIELDS",
    "TYPES",
    "analyse",
    "comparison_reason",
    "competition_rank",
    "customer_row",
    "indicator_values",
    "key_count",
    "method_flags",
    "method_labels",
    "money",
    "normalise",
    "pitfall_message",
    "rfm_segment_label",
    "safe_divide",
    "share",
    "type_reasons",
    "weakest_indicators",
]
