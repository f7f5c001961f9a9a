"""Rule modules; importing this package registers every rule in `validate.registry.RULES`."""

from validate.rules import budget, consistency, counts, disclosure, funds, ocr, scores, sums, targets, units  # noqa: F401
