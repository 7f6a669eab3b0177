# imagegen: build, test and install. GNU make.
#
#   make                      build the release binary (.build/release/imagegen)
#   make test                 install missing Debian packages, build, run the tests
#   make bench                build the release binary and print the benchmark figures
#   make install PREFIX=DIR   build, then install the binary and the man page
#   make uninstall            remove exactly the two installed files
#   make clean                remove build products

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=

SWIFT ?= swift
INSTALL ?= install

# What the build links against and what the test suite runs (python3 serves
# the fake provider the end-to-end tests talk to).
DEB_PACKAGES := libcurl4-openssl-dev libpng-dev pkg-config python3

BINARY := .build/release/imagegen
MANPAGE := man/imagegen.1

# The binary is a file target so that `sudo make install` after `make` does not
# rebuild as root (or need swift on root's PATH); SwiftPM still decides what to
# recompile.
SOURCES := Package.swift $(shell find Sources -type f 2>/dev/null)

.DEFAULT_GOAL := build
.PHONY: build test bench deps install uninstall clean

build: $(BINARY)

$(BINARY): $(SOURCES)
	$(SWIFT) build -c release --quiet

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

# SPEC §4's quality bars against a loopback fake provider; not part of `test`.
bench:
	bash benchmarks/run.sh

# Installs only what is missing; runs unattended (CI=true, no stdin).
deps:
	@if ! command -v dpkg >/dev/null 2>&1; then \
	  echo "make: not a Debian system; make sure libcurl, libpng, pkg-config and python3 are installed" >&2; \
	  exit 0; \
	fi; \
	missing=""; \
	for pkg in $(DEB_PACKAGES); do \
	  dpkg -s "$$pkg" 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$pkg"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" -eq 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	else \
	  echo "make: missing Debian packages:$$missing" >&2; \
	  echo "make: run 'make test' as root, or install them: apt-get install$$missing" >&2; \
	  exit 1; \
	fi; \
	echo "make: installing missing Debian packages:$$missing" >&2; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update && \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing

install: $(BINARY)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	$(INSTALL) -m 0755 $(BINARY) $(DESTDIR)$(BINDIR)/imagegen
	$(INSTALL) -m 0644 $(MANPAGE) $(DESTDIR)$(MANDIR)/man1/imagegen.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/imagegen $(DESTDIR)$(MANDIR)/man1/imagegen.1

clean:
	-$(SWIFT) package clean
	rm -rf .build
