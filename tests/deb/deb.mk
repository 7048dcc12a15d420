# The Debian package (issue 7), included from the Makefile:
#
#   make deb        build/deb/libapache2-mod-briefing_VERSION_ARCH.deb, built
#                   with dpkg-buildpackage from a copy of the working tree
#   make test-deb   builds it, installs it into the machine's stock apache2,
#                   a2enmod, configtest, starts the stock service on a free
#                   loopback port, fetches an annotated page and glossary
#                   pages, stops the service and purges the package, leaving
#                   /etc/apache2 as it was (root; about 30 s)
#
# Needs, beyond tests/install-deps.sh: debhelper and dpkg-dev (apache2-dev
# provides dh_apache2).

.PHONY: deb test-deb
deb:
	@tests/deb/build-deb.sh

test-deb:
	@tests/deb/test-deb.sh
