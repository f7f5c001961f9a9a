"""The users' language: one message catalogue per language (`zh.py`, `en.py`), named placeholders.

Chinese is the default; English on request (`--lang en` on a command, or `JIXIAO_LANG=en`). Each
catalogue is a plain table `MESSAGES: key → template`, the template a `str.format` string with named
placeholders (`{basic}`, `{executed}` …). Keys:

* `rule.<id>` – what a rule checks (`jixiao rules`); `severity.<level>` – 错误 / 警告 / 提示;
* `finding.<id>` – one finding's sentence, or a clause of it (a rounding note, a project prefix);
* `word.<id>` – a word a finding names (where a value was read: 自评表, 情况说明 …);
* `cli.*`, `review.*`, `export.*` – column headers, summary lines and page labels.

A placeholder's value is text already formatted the way the report printed it (`validate/findings.py`
formats numbers at their printed decimals, with units); a `Word` value is looked up in the catalogue
first, so a finding names "the form" in English and 自评表 in Chinese (a `Phrase` is such a key
with values of its own; a `Joined` list is joined by the language's ＋ or ' + ').
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NamedTuple

from pipeline.i18n import en, zh

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
CATALOGUES: dict[str, Mapping[str, str]] = {"zh": zh.MESSAGES, "en": en.MESSAGES}
ENV = "JIXIAO_LANG"


class Word(str):
    """A placeholder value that is itself a catalogue key (`word.form`), rendered in the language."""


class Phrase(NamedTuple):
    """A placeholder value that is a catalogue entry with values of its own ('table 3' / 第3张表)."""

    key: str
    values: dict[str, object]


class Joined(tuple):
    """A placeholder value that is a list, joined by the catalogue's separator `sep`
    (`sep.plus`: ＋ in Chinese, ' + ' in English)."""

    sep: str = "sep.plus"

    def __new__(cls, items: object, sep: str = "sep.plus") -> Joined:
        joined = super().__new__(cls, items)
        joined.sep = sep
        return joined


def language(chosen: str | None = None) -> str:
    """The language to use: the one chosen, else JIXIAO_LANG, else Chinese ('zh-CN' counts as zh)."""
    lang = (chosen or os.environ.get(ENV) or DEFAULT).strip().lower()
    lang = lang.split("-")[0].split("_")[0]
    if lang not in CATALOGUES:
        raise ValueError(f"unknown language {lang!r}: use {' or '.join(LANGUAGES)}")
    return lang


def t(key: str, lang: str | None = None, **params: object) -> str:
    """The catalogue's text for `key` in `lang`, its placeholders filled from `params`."""
    catalogue = CATALOGUES[language(lang)]
    return catalogue[key].format(**{k: _value(v, lang) for k, v in params.items()})


def _value(value: object, lang: str | None) -> object:
    """A placeholder's value in the language: a Word looked up, a Joined list joined."""
    if isinstance(value, Word):
        return t(value, lang)
    if isinstance(value, Phrase):
        return t(value.key, lang, **value.values)
    if isinstance(value, Joined):
        return t(value.sep, lang).join(str(_value(v, lang)) for v in value)
    return value
