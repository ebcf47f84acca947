"""Outputs that hold member passwords are owner-only (spec 4.2): 0600 from the
moment they exist, whatever the umask; other outputs keep 0666 less the umask."""
import os
import stat
import subprocess
import unittest

from kaiin_test import BIN, TempDirTest, read, sample, write


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


class OwnerOnly(TempDirTest):
    def setUp(self):
        super().setUp()
        self.old_umask = os.umask(0o022)

    def tearDown(self):
        os.umask(self.old_umask)
        super().tearDown()

    def run_tool(self, tool, *args, stdout=subprocess.PIPE):
        p = subprocess.run([os.path.join(BIN, tool), *args], stdout=stdout, stderr=subprocess.PIPE,
                           env=dict(os.environ, LC_ALL="C.UTF-8"), cwd=self.dir)
        self.assertIn(p.returncode, (0, 1), p.stderr.decode())
        return p

    # (what, command, files it writes): every output that copies a password column.
    PRIVATE = [
        ("conv", ["kaiin-conv", "-t", "utf-8", "-o", "out.csv", sample("upload.csv")], ["out.csv"]),
        ("conv futureshop", ["kaiin-conv", "-t", "utf-8", "-o", "out.csv", sample("futureshop_upload.csv")],
         ["out.csv"]),
        ("split action", ["kaiin-split", "--by", "action", "-d", "d", sample("upload_mixed.csv")],
         ["d/upload_mixed.nu.csv", "d/upload_mixed.d.csv"]),
        ("split rows", ["kaiin-split", "--by", "rows:5", "-d", "d", sample("upload.csv")],
         ["d/upload.001.csv", "d/upload.002.csv", "d/upload.003.csv", "d/upload.004.csv"]),
        ("split address", ["kaiin-split", "--by", "address", "-o", "out.csv", sample("upload.csv")], ["out.csv"]),
        ("fix", ["kaiin-fix", "-o", "out.csv", sample("upload_broken.csv")], ["out.csv"]),
    ]
    # Outputs without passwords: the umask decides, as for any new file.
    PUBLIC = [
        ("conv points", ["kaiin-conv", "-t", "utf-8", "-o", "out.csv", sample("points.csv")], ["out.csv"]),
        ("crosspoint default map", ["kaiin-crosspoint", "--sanitize", "-o", "out.tsv",
                                    sample("export_for_crosspoint.csv")], ["out.tsv"]),
        ("points diff", ["kaiin-points", "diff", sample("balances_old.csv"), sample("balances_new.csv"), "-o",
                         "out.csv"], ["out.csv"]),
        ("tags apply", ["kaiin-tags", "apply", "--rules", sample("tag_rules.csv"), "--members",
                        sample("current_export.csv"), "--today", "2026-11-23", "-o", "out.csv"], ["out.csv"]),
        ("check report", ["kaiin-check", "-o", "out.txt", sample("upload_broken.csv")], ["out.txt"]),
        # The change list never holds a password.
        ("fix changes", ["kaiin-fix", "--dry-run", "--changes", "out.csv", sample("upload_broken.csv")], ["out.csv"]),
    ]

    def test_password_outputs_are_owner_only(self):
        for what, argv, outputs in self.PRIVATE:
            with self.subTest(what):
                self.run_tool(*argv)
                for out in outputs:
                    self.assertEqual(mode(self.path(out)), 0o600, out)

    def test_other_outputs_follow_the_umask(self):
        for what, argv, outputs in self.PUBLIC:
            with self.subTest(what):
                self.run_tool(*argv)
                for out in outputs:
                    self.assertEqual(mode(self.path(out)), 0o644, out)

    def test_umask_077_is_kept_for_other_outputs(self):
        os.umask(0o077)
        self.run_tool("kaiin-conv", "-t", "utf-8", "-o", "out.csv", sample("points.csv"))
        self.assertEqual(mode(self.path("out.csv")), 0o600)

    def test_a_crosspoint_map_that_carries_passwords(self):
        write(self.path("map.csv"), "column,source\nオンラインショップ会員ID,member_id\nパスワード,password\n")
        self.run_tool("kaiin-crosspoint", "--map", "map.csv", "--sanitize", "-o", "out.tsv",
                      sample("export_for_crosspoint.csv"))
        self.assertEqual(mode(self.path("out.tsv")), 0o600)

    def test_a_readable_old_file_becomes_owner_only_and_the_user_is_told(self):
        write(self.path("out.csv"), "old")
        os.chmod(self.path("out.csv"), 0o644)
        p = self.run_tool("kaiin-conv", "-t", "utf-8", "-o", "out.csv", sample("upload.csv"))
        self.assertEqual(mode(self.path("out.csv")), 0o600)
        self.assertIn("out.csv: warning: the file holds member passwords, so it is now readable by its owner only "
                      "(0600); the file it replaced was 0644 [output-owner-only]", p.stderr.decode())

    def test_an_owner_only_old_file_is_replaced_quietly(self):
        write(self.path("out.csv"), "old")
        os.chmod(self.path("out.csv"), 0o600)
        p = self.run_tool("kaiin-conv", "-t", "utf-8", "-o", "out.csv", sample("upload.csv"))
        self.assertEqual(mode(self.path("out.csv")), 0o600)
        # Nothing but the summary, which says the auto-detected encoding of a file written.
        self.assertNotIn(b"warning:", p.stderr)
        self.assertIn(b"warnings 0", p.stderr)
        self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)

    def test_a_public_output_keeps_the_old_file_mode(self):
        write(self.path("out.csv"), "old")
        os.chmod(self.path("out.csv"), 0o640)
        self.run_tool("kaiin-conv", "-t", "utf-8", "-o", "out.csv", sample("points.csv"))
        self.assertEqual(mode(self.path("out.csv")), 0o640)

    def test_redirected_stdout_is_made_owner_only_before_anything_is_written_and_the_user_is_told(self):
        # The shell's `> out.csv` (0644 under umask 022), in the words -o uses, in each
        # program that writes passwords.
        told = ("<stdout>: warning: the file holds member passwords, so it is now readable by its owner only (0600); "
                "the file it replaced was 0644 [output-owner-only]")
        for argv in (["kaiin-conv", "-t", "utf-8", sample("upload.csv")], ["kaiin-fix", sample("upload.csv")],
                     ["kaiin-split", "--by", "address", sample("upload.csv")]):
            with self.subTest(argv[0]):
                out = self.path("out.csv")
                with open(out, "wb") as f:
                    p = self.run_tool(*argv, stdout=f)
                self.assertEqual(mode(out), 0o600)
                self.assertIn(told, p.stderr.decode())
                self.assertGreater(len(read(out)), 0)
                os.remove(out)

    def test_appending_to_a_readable_file_is_told(self):
        out = write(self.path("out.csv"), "earlier\n")
        os.chmod(out, 0o644)
        with open(out, "ab") as f:
            p = self.run_tool("kaiin-conv", "-t", "utf-8", sample("upload.csv"), stdout=f)
        self.assertEqual(mode(out), 0o600)
        self.assertIn("<stdout>: warning: the file holds member passwords", p.stderr.decode())


if __name__ == "__main__":
    unittest.main()
