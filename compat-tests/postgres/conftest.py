"""Prints the plain `N passed, N failed, N skipped` line after pytest's own summary."""
_counts = {"passed": 0, "failed": 0, "skipped": 0}


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        if report.outcome in _counts:
            _counts[report.outcome] += 1


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"{_counts['passed']} passed, {_counts['failed']} failed, {_counts['skipped']} skipped")
