"""Data-set readers: labelled texts (detection, rephrasing) and conversations (forecasting), from every format
training and evaluation read. Malformed files raise InputError naming the file, the line and the missing or
bad column."""

from commonground.datasets.conversations import (
    ATTACK_KEY,
    DERAILS_KEY,
    FORECAST_FORMATS,
    SCORE_KEY,
    ForecastCase,
    corpus_cases,
    read_cga,
    read_forecast_cases,
    read_platform_export,
)
from commonground.datasets.labelled import (
    FORMATS,
    Columns,
    LabelledText,
    ParaDetoxRow,
    TextDetoxRow,
    detect_format,
    read_labelled,
    read_paradetox,
    read_paradetox_cannot_rewrite,
    read_textdetox,
)

__all__ = [
    "ATTACK_KEY",
    "DERAILS_KEY",
    "FORECAST_FORMATS",
    "FORMATS",
    "SCORE_KEY",
    "Columns",
    "ForecastCase",
    "LabelledText",
    "ParaDetoxRow",
    "TextDetoxRow",
    "corpus_cases",
    "detect_format",
    "read_cga",
    "read_forecast_cases",
    "read_labelled",
    "read_paradetox",
    "read_paradetox_cannot_rewrite",
    "read_platform_export",
    "read_textdetox",
]
