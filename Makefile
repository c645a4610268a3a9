# Thin wrapper over CMake + Ninja. Every target first installs whatever Debian packages are missing.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
CTEST_JOBS ?= 2

DEBIAN_PACKAGES := cmake ninja-build g++ pkg-config qt6-base-dev qt6-httpserver-dev qt6-websockets-dev \
	qtkeychain-qt6-dev nlohmann-json3-dev libsimdjson-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools \
	qt6-translations-l10n gnome-keyring dbus libsecret-tools libglib2.0-bin xvfb xauth curl procps ccache \
	librsvg2-bin help2man lintian dpkg-dev fakeroot file zsh fish

# ccache keys objects by paths relative to the checkout, so clones and worktrees share one cache.
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= 1

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps configure build package run test bench format clean

all: build

deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
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

bench: build
	tests/run-isolated.sh bench/run.sh $(BUILD_DIR)

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
