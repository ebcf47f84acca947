"""The Debian package: CPack builds it from this build folder (its configuration is
that of make package, installing under /usr), the test unpacks it into a temporary
root and runs the programs from there, with the data files of the package.

Skipped when dpkg-deb or cpack is missing (not a Debian system)."""
import glob
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from kaiin_test import BIN, SOURCE, TOOLS, read, run, sample, write

BUILD = os.path.dirname(BIN)


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAIIN_")}
    env.update(LC_ALL="C.UTF-8", **extra)
    return env


@unittest.skipUnless(shutil.which("dpkg-deb") and shutil.which("cpack"), "dpkg-deb and cpack are needed")
class Package(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="kaiin-package-")
        # The package folder of its own (never build/); the prefix as make package sets it.
        proc = subprocess.run(["cpack", "--config", os.path.join(BUILD, "CPackConfig.cmake"), "-G", "DEB",
                               "-B", os.path.join(cls.tmp, "out"), "-D", "CPACK_PACKAGING_INSTALL_PREFIX=/usr"],
                              capture_output=True, timeout=600)
        if proc.returncode != 0:
            raise AssertionError(proc.stdout.decode() + proc.stderr.decode())
        debs = glob.glob(os.path.join(cls.tmp, "out", "kaiin_*.deb"))
        assert len(debs) == 1, debs
        cls.deb = debs[0]
        cls.root = os.path.join(cls.tmp, "root")
        subprocess.run(["dpkg-deb", "-x", cls.deb, cls.root], check=True)
        cls.contents = subprocess.run(["dpkg-deb", "-c", cls.deb], capture_output=True, check=True).stdout.decode()
        cls.info = subprocess.run(["dpkg-deb", "--info", cls.deb], capture_output=True, check=True).stdout.decode()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def field(self, name):
        m = re.search(rf"(?m)^ {name}: (.*)$", self.info)
        self.assertIsNotNone(m, f"no {name} in\n{self.info}")
        return m.group(1)

    def installed(self, tool):
        return os.path.join(self.root, "usr", "bin", tool)

    def test_control_fields(self):
        version = run("kaiin-check", "--version").out.decode().splitlines()[0].split()[-1]
        self.assertEqual(self.field("Package"), "kaiin")
        self.assertEqual(self.field("Version"), version)
        self.assertEqual(self.field("Section"), "utils")
        arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
        self.assertEqual(self.field("Architecture"), arch)
        self.assertRegex(self.field("Maintainer"), r".+ <[^@ ]+@[^@ ]+>")
        self.assertIn("Japanese online shops", self.field("Description"))
        # Depends found by dpkg-shlibdeps: the libraries the programs link.
        depends = self.field("Depends")
        for lib in (r"libc6 \(>= ", r"libstdc\+\+6", r"libicu\d+", r"libfmt\d+"):
            self.assertRegex(depends, lib)

    def test_files(self):
        files = set(re.findall(r"\./(\S+)", self.contents))
        for tool in TOOLS:
            self.assertIn(f"usr/bin/{tool}", files)
            self.assertTrue({f"usr/share/man/man1/{tool}.1", f"usr/share/man/man1/{tool}.1.gz"} & files, tool)
            self.assertIn(f"usr/share/bash-completion/completions/{tool}", files)
        for name in os.listdir(os.path.join(SOURCE, "data", "profiles")):
            self.assertIn(f"usr/share/kaiin/profiles/{name}", files)
        for name in os.listdir(os.path.join(SOURCE, "data", "orders")):
            self.assertIn(f"usr/share/kaiin/orders/{name}", files)
        self.assertIn("usr/share/kaiin/crosspoint/default.csv", files)
        self.assertIn("usr/share/kaiin/postal/zip_codes.txt", files)
        self.assertIn("usr/share/kaiin/email/carriers.csv", files)  # the carriers of the e-mail rule
        if os.path.exists(os.path.join(SOURCE, "po", "ja.po")):  # a tree with translations ships them
            self.assertIn("usr/share/locale/ja/LC_MESSAGES/kaiin.mo", files)
        self.assertFalse([f for f in files if not f.startswith("usr/")], "everything under /usr")

    def test_installed_programs_run_with_the_packaged_data(self):
        for tool in TOOLS:
            p = subprocess.run([self.installed(tool), "--version"], capture_output=True, env=clean_env())
            self.assertEqual(p.returncode, 0, tool)
            # The postal codes are the package's: their date is read from its table.
            self.assertRegex(p.stdout.decode(), rf"^{tool} \(kaiin\) \d+\.\d+\.\d+\npostal codes: Japan Post, 20")
        p = subprocess.run([self.installed("kaiin-check"), "--profile", "futureshop", sample("futureshop_upload.csv")],
                           capture_output=True, env=clean_env())
        self.assertEqual(p.returncode, 0, p.stderr.decode() + p.stdout.decode())
        self.assertIn(b"profile futureshop", p.stdout)
        # The profiles it reads are the package's: one added there is known at once.
        profiles = os.path.join(self.root, "usr", "share", "kaiin", "profiles")
        shutil.copy(os.path.join(profiles, "kaiin.csv"), os.path.join(profiles, "packagetest.csv"))
        try:
            p = subprocess.run([self.installed("kaiin-check"), "--list-profiles"], capture_output=True,
                               env=clean_env())
            self.assertIn("packagetest", p.stdout.decode().split())
        finally:
            os.remove(os.path.join(profiles, "packagetest.csv"))
        # So are the postal codes: --version says the date of the package's table.
        table = os.path.join(self.root, "usr", "share", "kaiin", "postal", "zip_codes.txt")
        original = read(table)
        try:
            write(table, re.sub(rb"(?m)^date .*$", b"date 2099-01-31", original))
            p = subprocess.run([self.installed("kaiin-fix"), "--version"], capture_output=True, env=clean_env())
            self.assertIn(b"postal codes: Japan Post, 2099-01-31 (", p.stdout)
        finally:
            write(table, original)

    def test_packaged_completion_works(self):
        script = (f"source '{self.root}/usr/share/bash-completion/completions/kaiin-split'\n"
                  "COMP_WORDS=(kaiin-split --profile futu); COMP_CWORD=2; _kaiin; echo \"${COMPREPLY[@]}\"")
        env = clean_env(PATH=os.path.join(self.root, "usr", "bin") + os.pathsep + os.environ["PATH"])
        p = subprocess.run(["bash", "--norc", "-c", script], capture_output=True, env=env, cwd=self.tmp)
        self.assertEqual(p.stdout.decode().split(), ["futureshop"])


if __name__ == "__main__":
    unittest.main()
