# The fuzz targets, one fuzz/<name>_fuzz.cpp each: built for libFuzzer by make fuzz
# (fuzz/CMakeLists.txt) and with a replaying main by make test (tests/CMakeLists.txt).
set(KAIIN_FUZZ_TARGETS csv_reader decode encode check fix fixed_csv orders)
