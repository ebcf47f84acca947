"""What the kaiin-check suites (test_check_*.py) share: the samples they read, the
report parsers, and CheckTest, whose assertFindings checks a small upload's
findings in both the JSON and the text report. Every run passes --today
2026-11-23 so that birthday checks are repeatable."""
from kaiin_test import TempDirTest, json_report, run, sample

TODAY = ("--today", "2026-11-23")
BROKEN = sample("upload_broken.csv")
FIXED = sample("upload_fixed.csv")
UPLOAD = sample("upload.csv")
CURRENT = sample("current_export.csv")
RANKS = sample("ranks.csv")
FUTURESHOP = sample("futureshop_upload.csv")

WARNING_RULES = {"email-legacy-mobile", "password-looks-plaintext", "rank-unknown", "excel-formula",
                 "header-unknown", "file-no-records", "encoding-eudc"}


def check_json(*args, stdin=None):
    """Runs kaiin-check --report json; returns (Result, findings, summary)."""
    r = run("kaiin-check", *TODAY, "--report", "json", *args, stdin=stdin)
    findings, summary = json_report(r.out) if r.code in (0, 1) else ([], None)
    return r, findings, summary


def severity(rule):
    return "warning" if rule in WARNING_RULES else "error"


class CheckTest(TempDirTest):
    def assertFindings(self, data, expected, *args):
        """Checks DATA on standard input: the findings are exactly EXPECTED, a list of
        (line, column, rule) or (line, column, rule, severity); the exit status follows
        from the severities, and the text report with --all shows each finding as
        <stdin>:LINE: SEVERITY: ... [RULE] naming the column, then a summary line.
        Returns the JSON findings."""
        r, found, summary = check_json(*args, "-", stdin=data)
        want = sorted(e if len(e) == 4 else (*e, severity(e[2])) for e in expected)
        got = sorted((f["line"], f["column"], f["rule"], f["severity"]) for f in found)
        self.assertEqual(got, want, r)
        self.assertEqual(r.code, 1 if any(w[3] == "error" for w in want) else 0, r)
        self.assertEqual(summary["errors"], sum(1 for w in want if w[3] == "error"))
        self.assertEqual(summary["warnings"], sum(1 for w in want if w[3] == "warning"))

        text = run("kaiin-check", *TODAY, "--all", *args, "-", stdin=data)
        self.assertEqual(text.code, r.code, text)
        lines = text.out.decode("utf-8").splitlines()
        self.assertTrue(lines and lines[-1].startswith("kaiin-check: summary: files "), text)
        lines = lines[:-1]
        self.assertEqual(len(lines), len(want), text)
        for line, column, rule, sev in want:
            prefix = f"<stdin>:{line}: {sev}: " if line else f"<stdin>: {sev}: "
            # The column leads the message ("cus_zip: zip code ..."), or, for CSV
            # structure and encoding findings, is named in it ("in 'cus_memo'").
            self.assertTrue(any(l.startswith(prefix) and l.endswith(f" [{rule}]")
                                and (not column or l.startswith(prefix + column + ": ") or f"'{column}'" in l)
                                for l in lines),
                            f"no text line {prefix}{column or ''}... [{rule}] in\n" + "\n".join(lines))
        return found

    def assertClean(self, data, *args):
        return self.assertFindings(data, [], *args)
