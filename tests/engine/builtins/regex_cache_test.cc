#include "engine/builtins/regex_cache.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace policyd {
namespace {

TEST(RegexCacheTest, CompileGoRegexReportsGoStyleErrors) {
  auto ok = CompileGoRegex("^a+$");
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(RE2::FullMatch("aaa", **ok));
  auto bad = CompileGoRegex("a(b");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "error parsing regexp: missing closing ): `a(b`");
  EXPECT_EQ(CompileGoRegex("x**").status().message(),
            "error parsing regexp: invalid nested repetition operator: `**`");
}

TEST(RegexCacheTest, CompilesOncePerKeyAndCachesFailures) {
  RegexCache cache(8);
  int calls = 0;
  auto compile = [&] {
    ++calls;
    return CompileGoRegex("a");
  };
  auto first = cache.Get("k", compile);
  auto second = cache.Get("k", compile);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->get(), second->get());
  EXPECT_EQ(calls, 1);

  int bad_calls = 0;
  auto bad = [&] {
    ++bad_calls;
    return CompileGoRegex("[");
  };
  EXPECT_FALSE(cache.Get("bad", bad).ok());
  EXPECT_FALSE(cache.Get("bad", bad).ok());
  EXPECT_EQ(bad_calls, 1);
}

TEST(RegexCacheTest, StaysBounded) {
  RegexCache cache(2);
  int calls = 0;
  auto compile = [&] {
    ++calls;
    return CompileGoRegex("a");
  };
  cache.Get("a", compile).IgnoreError();
  cache.Get("b", compile).IgnoreError();
  cache.Get("c", compile).IgnoreError();  // full: starts over
  EXPECT_EQ(calls, 3);
  cache.Get("a", compile).IgnoreError();  // was dropped
  EXPECT_EQ(calls, 4);
}

TEST(RegexCacheTest, SharedAcrossThreads) {
  std::atomic<int> matches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&matches, t] {
      for (int i = 0; i < 200; ++i) {
        std::string pattern = "^x" + std::to_string((i + t) % 20) + "$";
        auto re = RegexCache::GoRegex(pattern);
        if (re.ok() &&
            RE2::FullMatch("x" + std::to_string((i + t) % 20), **re)) {
          ++matches;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(matches.load(), 800);
}

}  // namespace
}  // namespace policyd
