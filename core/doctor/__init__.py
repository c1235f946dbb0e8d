"""`konspekt doctor`: installation checks and the offline self-test (see docs/doctor.md)."""
