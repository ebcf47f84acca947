# A thin wrapper around CMake: `make run` and `make test` work from a clean clone.
BUILD   ?= build
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
PREFIX  ?= /usr/local
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release

.PHONY: all deps build web web-if-possible run test bench fuzz sanitize install package po format format-check clean

all: build

deps:
	@sh scripts/install-deps

# Configuring again is quick, and finds what was installed since the last time.
# `build` alone never installs anything: `make run` and `make test` do, first.
# (--no-print-directory: CMake's makefiles recurse, and make would say so 40 times.)
build:
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory

# The page, $(BUILD)/web/kaiin.html: the library compiled to WebAssembly by Debian's
# emscripten (in $(WEB_BUILD)) with the page's script, one file that works offline.
# It takes the CP932 and Unicode tables the native build generates from ICU.
# (NODE_PATH: emscripten's own scripts need node-acorn, which Debian installs
# where only Debian's node looks.)
WEB_BUILD ?= build-web
EMSCRIPTEN_ROOT = $(shell em-config EMSCRIPTEN_ROOT 2>/dev/null || echo /usr/share/emscripten)
web: export NODE_PATH := /usr/share/nodejs$(if $(NODE_PATH),:$(NODE_PATH))
web: build
	@command -v em++ >/dev/null || { echo "make web: emscripten is missing: apt-get install emscripten (make deps does it)" >&2; exit 2; }
	@cmake -S web -B $(WEB_BUILD) -DCMAKE_TOOLCHAIN_FILE=$(EMSCRIPTEN_ROOT)/cmake/Modules/Platform/Emscripten.cmake \
	  -DKAIIN_TABLES=$(abspath $(BUILD))/generated/unicode_tables_data.cpp -DKAIIN_PAGE=$(abspath $(BUILD))/web/kaiin.html >/dev/null
	@cmake --build $(WEB_BUILD) -j $(JOBS) -- --no-print-directory
	@echo "make web: wrote $(BUILD)/web/kaiin.html ($$(du -k $(BUILD)/web/kaiin.html | cut -f1) KB)"

# make test builds the page where emscripten is installed; its tests say why they
# are skipped where it is not.
web-if-possible:
	@if command -v em++ >/dev/null; then $(MAKE) --no-print-directory web; \
	  else echo "make test: no emscripten: the page is not built, and its tests are skipped"; fi

# The main job on samples/: check a member upload against the shop's current
# members and ranks, then convert the CP932 export to UTF-8.
run: deps build
	@mkdir -p $(BUILD)/out
	$(BUILD)/bin/kaiin-check --current samples/current_export.csv --ranks samples/ranks.csv samples/upload.csv
	$(BUILD)/bin/kaiin-conv -t utf-8 -o $(BUILD)/out/members_utf8.csv samples/members_cp932.csv
	@echo "make run: samples/upload.csv is clean; wrote $(BUILD)/out/members_utf8.csv"

# CTest shows a suite whose every test was skipped as "Skipped" (no ../shared, say);
# the tests skipped inside other suites, and why, are printed after its summary.
test: deps build web-if-possible
	@rm -rf $(BUILD)/Testing/skipped
	@status=0; (cd $(BUILD) && ctest --output-on-failure -j $(JOBS)) || status=$$?; \
	  python3 tests/cli/run_suite.py --skipped $(BUILD)/Testing/skipped; exit $$status

bench: deps build
	@sh scripts/install-deps --bench
	python3 tests/bench/run.py

# libFuzzer targets (fuzz/) under ASan and UBSan, built with clang in build-fuzz:
# the saved crashers are replayed, then each target runs FUZZ_SECONDS. A crash fails.
FUZZ_SECONDS ?= 60
fuzz:
	@sh scripts/install-deps --fuzz
	@cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DKAIIN_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
	cmake --build build-fuzz --target fuzzers -j $(JOBS) -- --no-print-directory
	sh scripts/fuzz build-fuzz $(FUZZ_SECONDS)

# Every test (unit and CLI) on a build with ASan and UBSan, in build-asan: a leak,
# a bad access or undefined behaviour fails the test it happens in.
sanitize: deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKAIIN_SANITIZE=ON >/dev/null
	cmake --build build-asan -j $(JOBS) -- --no-print-directory
	ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir build-asan --output-on-failure -j $(JOBS)

# Programs, man pages and data files under PREFIX (default /usr/local); DESTDIR
# stages them elsewhere, as packagers do.
install: deps build
	cmake --install $(BUILD) --prefix $(PREFIX)

# A .deb of programs, man pages, profiles, translations and bash completion,
# installing under /usr, built in a folder of its own.
PKG_BUILD ?= build-pkg
package: deps
	@cmake -S . -B $(PKG_BUILD) -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr -DBUILD_TESTING=OFF >/dev/null
	cmake --build $(PKG_BUILD) -j $(JOBS) -- --no-print-directory
	cd $(PKG_BUILD) && cpack -G DEB >/dev/null
	@echo "make package: wrote $$(ls $(PKG_BUILD)/kaiin_*.deb)"

# After a message is added or changed: po/kaiin.pot regenerated from the sources,
# merged into po/ja.po, whose new or changed entries then need a translation.
po:
	sh scripts/update-po

# The whole tree in the style of .clang-format; format-check fails on a file it
# would change (CI runs it).
FORMAT_FILES = $(shell git ls-files --cached --others --exclude-standard '*.cpp' '*.h' '*.h.in' 2>/dev/null)
format:
	@sh scripts/install-deps --format
	clang-format -i $(FORMAT_FILES)
format-check:
	@sh scripts/install-deps --format
	@clang-format --dry-run --Werror $(FORMAT_FILES) && echo "format-check: $(words $(FORMAT_FILES)) files formatted"

clean:
	rm -rf $(BUILD) $(PKG_BUILD) $(WEB_BUILD)
