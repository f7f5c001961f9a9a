"""Ruling-line tables in a page image: read seals out, deskew the page, find each table's grid, build merged cells.

A colour page first loses its red seals (`drop_seals`): inside each seal-shaped patch of red ink
the page is read through its red channel, where red ink is as light as the paper and black print
stays dark, so the text stamped over keeps its strokes; red print outside seals (a 红头 title) is
kept as ordinary grey.
Scanned forms keep their tables as drawn lines. The page is first deskewed (the angle that makes
the horizontal projection of the ink sharpest). Lines are then isolated with OpenCV morphology
(openings with long thin kernels), their positions clustered into row and column lines, and each
slot between neighbouring lines is joined with its neighbour wherever the ruling between them is
missing. That yields cells with row/col spans: the grid model the docx and PDF readers produce.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MAX_SKEW_DEG = 3.0
MIN_TABLE_W = 120  # pixels: smaller line clusters are underlines or stamps, not tables
MIN_TABLE_H = 40
OPEN_EDGE = 12  # pixels the column lines must run past the last row line to leave a table open
SEAL_REDNESS = 50  # R − max(G, B) of a seal's red ink; paper, black and grey print are near 0
SEAL_MIN_SIDE = 0.13  # of the page's shorter side: a seal is about 4 cm across (A4: 21 cm); a big red title character is about 1.5 cm
SEAL_MAX_ASPECT = 1.6  # a seal is round or oval; a red title line is much wider than tall


@dataclass
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels of the deskewed image


@dataclass
class GridTable:
    n_rows: int
    n_cols: int
    cells: list[GridCell]
    box: tuple[int, int, int, int]
    xs: list[int]  # column line positions
    ys: list[int]  # row line positions
    open_top: bool = False  # the column lines run on above the first row line (a page break)
    open_bottom: bool = False


@dataclass
class Deskewed:
    image: np.ndarray
    angle: float  # degrees the page was rotated by to straighten it
    matrix: np.ndarray  # 2×3 affine matrix from the original image to `image`

    def to_original(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """An axis-aligned box of the deskewed image as the enclosing box on the original image."""
        inverse = cv2.invertAffineTransform(self.matrix)
        x0, y0, x1, y1 = box
        corners = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], dtype=np.float64)
        mapped = corners @ inverse.T
        return (
            float(mapped[:, 0].min()),
            float(mapped[:, 1].min()),
            float(mapped[:, 0].max()),
            float(mapped[:, 1].max()),
        )


# --------------------------------------------------------------------------- seals


def drop_seals(rgb: np.ndarray) -> np.ndarray:
    """A colour page as grayscale with its red seals read out (see the module docstring).

    A seal is a patch of red ink, its pieces joined, about as tall as wide and at least
    `SEAL_MIN_SIDE` of the page across. Within its box the grey value is the red channel, and the
    red ink itself (strongly red and not dark) is set to paper white.
    """
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    channels = rgb.astype(np.int16)
    red = channels[..., 0]
    redness = red - np.maximum(channels[..., 1], channels[..., 2])
    ink = (redness > SEAL_REDNESS).astype(np.uint8)
    if not ink.any():
        return gray
    side = min(gray.shape)
    reach = max(3, side // 100)
    joined = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1, 2 * reach + 1)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined)
    for i in range(1, count):
        x, y, w, h, _ = stats[i]
        if min(w, h) < SEAL_MIN_SIDE * side or max(w, h) > SEAL_MAX_ASPECT * min(w, h):
            continue
        patch = (slice(y, y + h), slice(x, x + w))
        through_red = rgb[..., 0][patch].copy()
        through_red[(redness[patch] > SEAL_REDNESS) & (red[patch] > 150)] = 255
        gray[patch] = through_red
    return gray


# --------------------------------------------------------------------------- deskew


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark strokes as 255 on 0, robust to uneven background and JPEG noise."""
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)


def estimate_skew(gray: np.ndarray) -> float:
    """The rotation (degrees) that makes text rows and ruling lines horizontal."""
    ink = ink_mask(gray)
    coarse = _best_angle(ink, scale=0.25, angles=np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 0.01, 0.25))
    return _best_angle(ink, scale=0.5, angles=np.arange(coarse - 0.25, coarse + 0.26, 0.05))


def _best_angle(ink: np.ndarray, scale: float, angles: np.ndarray) -> float:
    small = cv2.resize(ink, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    h, w = small.shape
    centre = (w / 2, h / 2)
    best, best_score = 0.0, -1.0
    for angle in angles:
        matrix = cv2.getRotationMatrix2D(centre, float(angle), 1.0)
        rotated = cv2.warpAffine(small, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        profile = rotated.sum(axis=1, dtype=np.float64)
        score = float(np.square(np.diff(profile)).sum())
        if score > best_score:
            best, best_score = float(angle), score
    return best


def deskew(gray: np.ndarray) -> Deskewed:
    """The page rotated upright (white fill), with the transform to map boxes back."""
    angle = estimate_skew(gray)
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    if abs(angle) < 0.01:
        return Deskewed(gray, 0.0, matrix)
    image = cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    return Deskewed(image, angle, matrix)


# --------------------------------------------------------------------------- ruling lines


def line_masks(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling lines of an upright page, as two binary masks."""
    ink = ink_mask(gray)
    h, w = ink.shape
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(40, w // 25), 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(30, h // 60))))
    # bridge small breaks left by noise or JPEG blocks
    horizontal = cv2.dilate(horizontal, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    vertical = cv2.dilate(vertical, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 9)))
    return horizontal, vertical


def find_tables(gray: np.ndarray) -> list[GridTable]:
    """Every ruled table of an upright page, top to bottom."""
    horizontal, vertical = line_masks(gray)
    joined = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((5, 5), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined)
    tables = []
    for i in range(1, count):
        x, y, w, h, _ = stats[i]
        if w < MIN_TABLE_W or h < MIN_TABLE_H:
            continue
        table = _grid_in_region(horizontal, vertical, (int(x), int(y), int(x + w), int(y + h)))
        if table is not None:
            tables.append(table)
    return sorted(tables, key=lambda t: (t.box[1], t.box[0]))


def _positions(profile: np.ndarray, offset: int) -> list[int]:
    """Centres of the runs of non-zero entries of a projection profile."""
    positions, start = [], None
    for i, value in enumerate([*profile.tolist(), 0]):
        if value and start is None:
            start = i
        elif not value and start is not None:
            positions.append(offset + (start + i - 1) // 2)
            start = None
    return positions


def _grid_in_region(horizontal: np.ndarray, vertical: np.ndarray, box: tuple[int, int, int, int]) -> GridTable | None:
    x0, y0, x1, y1 = box
    h_region = horizontal[y0:y1, x0:x1]
    v_region = vertical[y0:y1, x0:x1]
    min_len = 0.02 * (x1 - x0)
    ys = _positions((h_region > 0).sum(axis=1) >= min_len, y0)
    xs = _positions((v_region > 0).sum(axis=0) >= 0.02 * (y1 - y0), x0)
    if not ys or not xs:
        return None
    ys, open_top, open_bottom = _open_ends(ys, (v_region > 0).any(axis=1), y0)
    xs, _, _ = _open_ends(xs, (h_region > 0).any(axis=0), x0)  # forms drawn without side borders
    if len(ys) < 2 or len(xs) < 2:
        return None
    ys = _drop_unused(ys, xs, horizontal, axis=0)
    xs = _drop_unused(xs, ys, vertical, axis=1)
    if len(ys) < 2 or len(xs) < 2:
        return None
    cells = _merge_slots(xs, ys, horizontal, vertical)
    return GridTable(
        n_rows=len(ys) - 1,
        n_cols=len(xs) - 1,
        cells=cells,
        box=(xs[0], ys[0], xs[-1], ys[-1]),
        xs=xs,
        ys=ys,
        open_top=open_top,
        open_bottom=open_bottom,
    )


def _open_ends(lines: list[int], crossing_ink: np.ndarray, offset: int) -> tuple[list[int], bool, bool]:
    """`lines` plus a virtual first/last line where the crossing lines run on past them (an open edge)."""
    where = np.flatnonzero(crossing_ink)
    if not where.size:
        return lines, False, False
    low, high = offset + int(where[0]), offset + int(where[-1])
    open_low, open_high = lines[0] - low > OPEN_EDGE, high - lines[-1] > OPEN_EDGE
    return ([low] if open_low else []) + lines + ([high] if open_high else []), open_low, open_high


def _ruled(mask: np.ndarray, at: int, start: int, end: int, axis: int) -> bool:
    """Whether a line runs along `at` from `start` to `end` (axis 0: horizontal line at y=at)."""
    margin = max(3, (end - start) // 8)
    lo, hi = start + margin, end - margin
    if hi <= lo:
        return False
    band = mask[max(0, at - 3) : at + 4, lo:hi] if axis == 0 else mask[lo:hi, max(0, at - 3) : at + 4]
    covered = band.any(axis=axis)
    return float(covered.mean()) >= 0.6


def _drop_unused(lines: list[int], across: list[int], mask: np.ndarray, axis: int) -> list[int]:
    """Keep the outer lines and the inner ones that separate at least one pair of slots."""
    kept = [lines[0]]
    for at in lines[1:-1]:
        if any(_ruled(mask, at, a, b, axis) for a, b in zip(across, across[1:], strict=False)):
            kept.append(at)
    kept.append(lines[-1])
    return kept


def _merge_slots(xs: list[int], ys: list[int], horizontal: np.ndarray, vertical: np.ndarray) -> list[GridCell]:
    """Union the slots not separated by a ruling line; each group becomes one (spanning) cell."""
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            here = r * n_cols + c
            if c + 1 < n_cols and not _ruled(vertical, xs[c + 1], ys[r], ys[r + 1], axis=1):
                parent[find(here)] = find(here + 1)
            if r + 1 < n_rows and not _ruled(horizontal, ys[r + 1], xs[c], xs[c + 1], axis=0):
                parent[find(here)] = find(here + n_cols)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            groups.setdefault(find(r * n_cols + c), []).append((r, c))
    cells = []
    for slots in groups.values():
        r0, r1 = min(r for r, _ in slots), max(r for r, _ in slots)
        c0, c1 = min(c for _, c in slots), max(c for _, c in slots)
        cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    return sorted(cells, key=lambda cell: (cell.row, cell.col))
