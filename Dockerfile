# policyd in a container: built on Debian 12 with its packages, run on
# debian:12-slim with only the shared libraries it needs.
#   docker build -t policyd .
#   docker run -p 9191:9191 -p 8181:8181 -v $PWD/examples/bundle:/bundles/example:ro policyd
FROM debian:12 AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config libabsl-dev libgmp-dev libre2-dev \
      libssl-dev libyaml-cpp-dev nlohmann-json3-dev libarchive-dev \
      libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc \
      libgtest-dev libgmock-dev libbenchmark-dev libboost-dev prometheus-cpp-dev \
      zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DPOLICYD_BENCHMARKS=OFF \
    && cmake --build /build --target policyd \
    && strip /build/service/policyd

FROM debian:12-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libgrpc++1.51 libprotobuf32 libabsl20220623 libre2-9 libgmp10 libyaml-cpp0.7 \
      libarchive13 libssl3 libprometheus-cpp-core1.0 zlib1g ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home policyd \
    && mkdir -p /bundles /run/policyd && chown policyd /run/policyd
COPY --from=build /build/service/policyd /usr/local/bin/policyd
USER 10001
EXPOSE 9191 8181
ENTRYPOINT ["/usr/local/bin/policyd", "serve"]
CMD ["--bundles", "/bundles"]
