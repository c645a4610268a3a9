# Thin wrapper over CMake + Ninja. Every target first installs whatever Debian packages are missing.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
CTEST_JOBS ?= 2

DEBIAN_PACKAGES := cmake ninja-build g++ pkg-config qt6-base-dev qt6-httpserver-dev qt6-websockets-dev \
	qtkeychain-qt6-dev nlohmann-json3-dev libssl-dev libsimdjson-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools \
	qt6-translations-l10n gnome-keyring dbus libsecret-tools libglib2.0-bin xvfb xauth curl procps ccache \
	librsvg2-bin help2man lintian dpkg-dev fakeroot file zsh fish \
	openssl libssl-dev tinyproxy nginx libqrencode-dev

# The real OpenID provider of tst_oidc_provider runs on Node.js; the build installs it with `npm ci` (see
# tests/CMakeLists.txt). npm counts as present when a Node.js that bundles it is installed (NodeSource's
# nodejs, which conflicts with Debian's npm).
DEBIAN_PACKAGES += nodejs npm

# ccache keys objects by paths relative to the checkout, so clones and worktrees share one cache.
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= 1

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps configure build package run test test-asan test-asan-core fuzz bench format clean

all: build

deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || \
		{ [ $$p = npm ] && command -v npm >/dev/null; } || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing missing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DKEYWAY_WERROR=ON \
		$$(command -v ccache >/dev/null && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR)

# The Debian package, in $(BUILD_DIR)/package/ (checked by tests/package/test-package.sh).
package: build
	cd $(BUILD_DIR) && cpack -G DEB

# Starts the GUI with the embedded sandbox and its demo environments.
run: build
	$(BUILD_DIR)/app/keyway

# The whole suite inside a throwaway D-Bus session + unlocked gnome-keyring, offscreen.
test: package
	tests/run-isolated.sh ctest --test-dir $(BUILD_DIR) -j$(CTEST_JOBS) --output-on-failure
	$(MAKE) test-asan-core

# The whole suite built with AddressSanitizer + UndefinedBehaviorSanitizer in its own directory (ccache
# keeps rebuilds cheap). Leak checking is off: Qt keeps global allocations until exit on purpose.
ASAN_BUILD_DIR ?= build-asan
test-asan: deps
	cmake -S . -B $(ASAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKEYWAY_WERROR=ON -DKEYWAY_SANITIZE=ON \
		-DKEYWAY_BENCH=OFF $$(command -v ccache >/dev/null && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
	cmake --build $(ASAN_BUILD_DIR)
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		tests/run-isolated.sh ctest --test-dir $(ASAN_BUILD_DIR) -j$(CTEST_JOBS) --output-on-failure -E '^package$$'

# The CI-sized sanitizer run, part of `make test`: core library, tests/core and the fuzz corpus replays under
# ASan + UBSan, no GUI and no integration suite. -O0 -g1 cuts the compile time and keeps file:line in reports
# (measured times in docs/hardening.md, "Sanitizers").
ASAN_CORE_BUILD_DIR ?= build-asan-core
test-asan-core: deps
	cmake -S . -B $(ASAN_CORE_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKEYWAY_WERROR=ON \
		-DKEYWAY_SANITIZE=ON -DKEYWAY_GUI=OFF -DKEYWAY_BENCH=OFF '-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O0 -g1' \
		$$(command -v ccache >/dev/null && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
	cmake --build $(ASAN_CORE_BUILD_DIR) --target keyway_core_tests
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		tests/run-isolated.sh ctest --test-dir $(ASAN_CORE_BUILD_DIR) -j$(CTEST_JOBS) --output-on-failure -L '^(core|fuzz)$$'

# libFuzzer (clang) on every target of tests/fuzz for FUZZ_SECONDS each, starting from its seed corpus;
# new inputs go to $(FUZZ_BUILD_DIR)/corpus, crashes to $(FUZZ_BUILD_DIR)/crash-* (add them to the corpus).
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := profile_loader json_pointer json_index callback jwt webhook_signature
FUZZ_PACKAGES := clang libclang-rt-14-dev
fuzz: deps
	@missing=$$(for p in $(FUZZ_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKEYWAY_FUZZ=ON \
		-DKEYWAY_GUI=OFF -DKEYWAY_TESTS=OFF -DKEYWAY_BENCH=OFF \
		$$(command -v ccache >/dev/null && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
	cmake --build $(FUZZ_BUILD_DIR) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_BUILD_DIR)/corpus/$$t && \
		( cd $(FUZZ_BUILD_DIR) && ASAN_OPTIONS=detect_leaks=0 QT_QPA_PLATFORM=offscreen \
			./tests/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
			corpus/$$t $(CURDIR)/tests/fuzz/corpus/$$t ) || exit 1; \
	done

bench: build
	tests/run-isolated.sh bench/run.sh $(BUILD_DIR)

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
