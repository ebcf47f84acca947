# What every build of kaiin compiles with, the programs' (CMakeLists.txt) and the
# page's (web/CMakeLists.txt): C++20 without compiler extensions, Release by default.
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE Release)
endif()
