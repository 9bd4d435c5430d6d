# The two commands of the README, `make run` and `make test`, work on a fresh
# Debian 12 machine: missing packages are installed first (as root, or with
# sudo), then the project is configured, built and run/tested.
BUILD_DIR ?= build
ASAN_BUILD_DIR ?= build-asan
TSAN_BUILD_DIR ?= build-tsan
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := $(shell grep -o '^policyd_fuzz_target.[a-z_]*' tests/fuzz/CMakeLists.txt | cut -c21-)
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

DEB_PACKAGES := build-essential cmake ninja-build ccache pkg-config python3 \
  libabsl-dev libgmp-dev libre2-dev libssl-dev libyaml-cpp-dev \
  nlohmann-json3-dev libarchive-dev libgrpc++-dev \
  libprotobuf-dev protobuf-compiler protobuf-compiler-grpc libgtest-dev \
  libgmock-dev libbenchmark-dev libboost-dev prometheus-cpp-dev zlib1g-dev clang nginx

# ccache keys on relative paths below the checkout, so that a fresh clone
# elsewhere (as in CI) hits the cache filled by earlier builds.
export CCACHE_BASEDIR ?= $(CURDIR)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps configure build test run conformance conformance-expected bench asan tsan fuzz clean

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

# Sanitizer builds compile at -O1 with assertions on: about half the
# compile time of -O3 on CI's two cores, and what the sanitizers' authors
# recommend for readable reports.
SANITIZER_BUILD_TYPE := -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS=-O1

# AddressSanitizer + UBSan build of everything but the benchmarks, in its own
# build directory, and its tests.
asan: deps
	cmake -S . -B $(ASAN_BUILD_DIR) -G Ninja $(SANITIZER_BUILD_TYPE) \
	  -DPOLICYD_SANITIZE=ON -DPOLICYD_BENCHMARKS=OFF $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)
	LSAN_OPTIONS="suppressions=$(CURDIR)/tests/lsan.supp print_suppressions=0" \
	  ctest --test-dir $(ASAN_BUILD_DIR) --output-on-failure -j $(JOBS)

# ThreadSanitizer build of what the concurrency tests need, and those tests:
# the bundle store and watcher (reloads beside readers), the worker pool,
# the byte budget and the HTTP server (Boost.Asio is header-only, so TSan
# sees all of it). Hand-offs through gRPC's completion queue are not among
# them: Debian's gRPC is not instrumented, so TSan cannot see the ordering
# its queue provides and reports every tag passed through it as a race.
TSAN_TARGETS := bundles_tests service_tests
TSAN_TESTS := (StoreTest|WatcherTest|WorkerPoolTest|ByteBudgetTest|HttpServerTest)\.
tsan: deps
	cmake -S . -B $(TSAN_BUILD_DIR) -G Ninja $(SANITIZER_BUILD_TYPE) \
	  -DPOLICYD_TSAN=ON -DPOLICYD_BENCHMARKS=OFF $(CMAKE_FLAGS)
	cmake --build $(TSAN_BUILD_DIR) -j $(JOBS) --target $(TSAN_TARGETS)
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp" \
	  ctest --test-dir $(TSAN_BUILD_DIR) -R '$(TSAN_TESTS)' --output-on-failure -j $(JOBS)

# libFuzzer targets (tests/fuzz) built with clang in their own build
# directory; each runs FUZZ_SECONDS on one core from a seed corpus made of the
# tests' examples, after replaying its kept regressions.
fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DPOLICYD_FUZZ=ON -DPOLICYD_BENCHMARKS=OFF $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS) --target $(FUZZ_TARGETS)
	tests/fuzz/seed_corpus.sh $(FUZZ_BUILD_DIR)/fuzz-corpus
	set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD_DIR)/fuzz-corpus/$$t; \
	  $(FUZZ_BUILD_DIR)/tests/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
	    -artifact_prefix=$(FUZZ_BUILD_DIR)/$$t- $(FUZZ_BUILD_DIR)/fuzz-corpus/$$t; \
	done

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR) $(TSAN_BUILD_DIR) $(FUZZ_BUILD_DIR)

# Rewrites tests/conformance/expected_failures.txt to the cases that fail now
# (hand-written reasons of cases that still fail are kept).
conformance-expected: configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target conformance_runner
	$(BUILD_DIR)/tests/conformance/conformance_runner --write-expected-failures
