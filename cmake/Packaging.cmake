# The Debian package (make package, or cpack -G DEB in a build folder): what
# `cmake --install` puts under the prefix (programs, man pages, profiles and the
# CROSS POINT map, the translations, bash completion), as one package "kaiin".
#
# Configure with -DCMAKE_INSTALL_PREFIX=/usr for a package: the programs then look
# for their data in /usr/share/kaiin. (They look beside themselves first, in
# <bin>/../share/kaiin, so a package unpacked under any root works too.)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kaiin)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "kaiin maintainers <maintainers@users.noreply.h-seed-63d471cc.example>")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# kaiin_0.1.0_amd64.deb, as Debian names packages.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Depends from the libraries the programs link (libc6, libstdc++6, libicu72,
# libfmt9, ...), found by dpkg-shlibdeps (dpkg-dev), not written by hand.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The long description (CPack puts the summary above it and indents its lines).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "kaiin (会員) reads, checks and converts the member CSV files of Japanese online
shops: bulk-upload files with the control column n/u/d and crypted_pass, CP932
and UTF-8. kaiin-check lists every problem of an upload with line and column;
kaiin-fix makes the corrections kaiin-check suggests in a copy, listing each;
kaiin-conv converts between CP932 and UTF-8 checking every byte; kaiin-split,
kaiin-crosspoint, kaiin-points and kaiin-tags split uploads, prepare CROSS POINT
initial loads, check and adjust points, and compute member tags from rules;
kaiin-crm writes the customers and shipped orders of an e-mail keyed CRM from
the member and order exports, with an account of everything that did not travel;
kaiin-find looks e-mail addresses up in them: the member who holds each, and
their orders.")

include(CPack)
