# The two commands of the README, `make run` and `make test`, work on a fresh
# Debian 12 machine: missing packages are installed first (as root, or with
# sudo), then the project is configured, built and run/tested.
BUILD_DIR ?= build
ASAN_BUILD_DIR ?= build-asan
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

DEB_PACKAGES := build-essential cmake ninja-build ccache pkg-config python3 \
  libabsl-dev libgmp-dev libre2-dev libssl-dev libyaml-cpp-dev \
  nlohmann-json3-dev libsimdjson-dev libarchive-dev libgrpc++-dev \
  libprotobuf-dev protobuf-compiler protobuf-compiler-grpc libgtest-dev \
  libgmock-dev libbenchmark-dev libboost-dev zlib1g-dev nginx

# ccache keys on relative paths below the checkout, so that a fresh clone
# elsewhere (as in CI) hits the cache filled by earlier builds.
export CCACHE_BASEDIR ?= $(CURDIR)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps configure build test run conformance conformance-expected bench asan clean

all: build

# apt-get update runs only when something is missing.
deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

configure: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

run: configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target policyd
	$(BUILD_DIR)/service/policyd serve --bundles examples/bundle

conformance: configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target conformance_runner
	$(BUILD_DIR)/tests/conformance/conformance_runner

bench: configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target rbac_bench
	$(BUILD_DIR)/tests/bench/rbac_bench

# AddressSanitizer + UBSan build of everything but the benchmarks, in its own
# build directory, and its tests.
asan: deps
	cmake -S . -B $(ASAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DPOLICYD_SANITIZE=ON -DPOLICYD_BENCHMARKS=OFF $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)
	ctest --test-dir $(ASAN_BUILD_DIR) --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR)

# Rewrites tests/conformance/expected_failures.txt to the cases that fail now
# (hand-written reasons of cases that still fail are kept).
conformance-expected: configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target conformance_runner
	$(BUILD_DIR)/tests/conformance/conformance_runner --write-expected-failures
