"""No function in the library or a program is longer than 80 lines.

A job reads like its spec: a short driver calling named stages (CONTRIBUTING.md).
A function spans the lines from the first of its signature to its closing brace;
what is defined inside it (a lambda, a local struct) is part of it. ALLOWED names
the few that may be longer, and for how long: an entry whose function is gone (or,
for one allowed for good, is short now) fails, so that the list does not outlive its
reasons; a temporary one goes when the rewrite it waits for lands.

`python3 tests/cli/cpp_functions.py FILE...` lists the functions of files, longest
first."""
import os
import textwrap
import unittest

from cpp_functions import functions, functions_in
from kaiin_test import SOURCE

LIMIT = 80
FOLDERS = ("lib", "tools")
ALLOWED = {
    # The CSV reader's state machine: one loop over every byte read, whose shape was
    # measured (the comment above it says how).
    ("lib/src/core/csv.cpp", "csv_reader::next"): "for good",
}


def source_files():
    for top in FOLDERS:
        for folder, _, files in os.walk(os.path.join(SOURCE, top)):
            for name in sorted(files):
                if name.endswith((".cpp", ".h")):
                    path = os.path.join(folder, name)
                    yield os.path.relpath(path, SOURCE).replace(os.sep, "/"), path


def lengths(snippet):
    """{name: lines} of the functions in a literal SNIPPET of C++."""
    return {f.name: f.lines for f in functions(textwrap.dedent(snippet))}


class FunctionLength(unittest.TestCase):
    def test_no_function_is_longer_than_the_limit(self):
        too_long = []
        for rel, path in source_files():
            for f in functions_in(path):
                if f.lines > LIMIT and (rel, f.name) not in ALLOWED:
                    too_long.append(f"{rel}:{f.first}: {f.name} is {f.lines} lines")
        self.assertEqual(too_long, [], f"split these into named stages of at most {LIMIT} lines")

    def test_each_allowed_function_is_still_there(self):
        for (rel, name), why in ALLOWED.items():
            with self.subTest(function=name, allowed=why):
                found = [f for f in functions_in(os.path.join(SOURCE, rel)) if f.name == name]
                self.assertEqual(len(found), 1, f"{name} is not in {rel}: remove it from ALLOWED")
                if why == "for good":
                    self.assertGreater(found[0].lines, LIMIT, f"{name} is short now: remove it from ALLOWED")

    def test_the_scan_finds_the_functions_of_the_tree(self):
        # A scanner that lost its way (a brace in a string, say) would find few.
        found = {(rel, f.name) for rel, path in source_files() for f in functions_in(path)}
        self.assertGreater(len(found), 900)
        for known in [("lib/src/jobs/conv/conv.cpp", "run_conv"), ("lib/src/core/csv_input.cpp", "csv_input::take"),
                      ("lib/src/core/csv_input.cpp", "csv_input::csv_input"), ("tools/kaiin-conv/main.cpp", "main")]:
            self.assertIn(known, found)


class Scanner(unittest.TestCase):
    """The scanner on literal snippets: what counts as a function, and its lines."""

    def test_a_function_counts_from_its_signature_to_its_closing_brace(self):
        self.assertEqual(lengths("""
            int f(int a) {
              return a;
            }
            void g() {}
        """), {"f": 3, "g": 1})

    def test_a_signature_on_several_lines_counts_from_its_first(self):
        self.assertEqual(lengths("""
            template <class T>
            std::vector<T>
            joined(const std::vector<T>& a,
                   const std::vector<T>& b)
                noexcept {
              return a;
            }
        """), {"joined": 7})

    def test_lambdas_and_local_structs_are_part_of_their_function(self):
        self.assertEqual(lengths("""
            int run(int n) {
              auto twice = [&](int x) {
                return 2 * x;
              };
              struct sink : base {
                void on(int) override {}
              } s;
              return twice(n);
            }
        """), {"run": 9})

    def test_member_functions_defined_in_a_class_count_but_the_class_does_not(self):
        self.assertEqual(lengths("""
            namespace kaiin {
            class reader {
             public:
              bool next(raw_record& r) {
                return fill(r);
              }
              std::size_t size() const { return size_; }
              T& operator[](std::size_t i) { return items_[i]; }
             private:
              struct item {
                int a = 0;
                bool empty() const {
                  return a == 0;
                }
              };
              std::vector<int> v_{1, 2, 3};
            };
            }  // namespace kaiin
        """), {"next": 3, "size": 1, "operator[]": 1, "empty": 3})

    def test_definitions_out_of_the_class_carry_its_name(self):
        self.assertEqual(lengths("""
            reader::reader(const std::string& path, int n)
                : file_(std::make_unique<source>(path)), items_{n, 0},
                  map_([this](std::string_view s) { return hash(s); }) {
              open();
            }
            reader::~reader() { close(); }
            reader::~reader2() = default;
            bool reader::operator==(const reader& o) const {
              return n_ == o.n_;
            }
            auto reader::rows() const -> std::vector<row> {
              return rows_;
            }
        """), {"reader::reader": 5, "reader::~reader": 1, "reader::operator==": 3, "reader::rows": 3})

    def test_braces_in_comments_strings_characters_and_directives_count_for_nothing(self):
        self.assertEqual(lengths("""
            // void not_a_function() {
            /* } { */
            #define OPEN {
            #define BLOCK(x) \\
              { x; }
            std::string f() {
              char open = '{';
              int big = 1'000'000;
              std::string s = "}{\\"}";
              std::string raw = R"x(}
              )" }
              )x";
              return s;
            }
        """), {"f": 9})

    def test_tables_and_enums_are_not_functions_but_a_lambda_given_a_name_is(self):
        self.assertEqual(lengths("""
            const std::array<entry, 2> table = {{
              {"a", 1},
              {"b", 2},
            }};
            enum class kind : char { none, create };
            std::array<int, sizeof(long)> sizes{};
            const auto is_space = [](char c) {
              return c == ' ';
            };
            extern "C" {
            int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
              return 0;
            }
            }
            TEST_CASE("a test") {
              CHECK(1 == 1);
            }
        """), {"is_space": 3, "LLVMFuzzerTestOneInput": 3, "TEST_CASE": 3})


if __name__ == "__main__":
    unittest.main()
