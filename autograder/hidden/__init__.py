"""Hidden checks: graded, never shipped to students."""
