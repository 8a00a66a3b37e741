"""Plain data of a review: rules' metadata, findings, issues, checklist and verdict. No I/O."""
