"""Rule modules; importing this package registers every rule in `validate.registry.RULES`."""

from validate.rules import (  # noqa: F401
    budget,
    consistency,
    counts,
    disclosure,
    disclosure_self_eval,
    funds,
    ocr,
    scores,
    sums,
    targets,
    units,
)
