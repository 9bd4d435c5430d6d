// A thread that runs one step of background work (poll a bundle, upload a
// batch of decision logs, report status), waits for the delay the step
// returns, and runs it again, until it is stopped. Wake() cuts the wait
// short. With the delays a management client needs: a random delay between
// a minimum and a maximum (so that a fleet does not poll in step), and
// exponential backoff after failures, capped.
#ifndef POLICYD_SERVICE_MANAGEMENT_BACKGROUND_LOOP_H_
#define POLICYD_SERVICE_MANAGEMENT_BACKGROUND_LOOP_H_

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace policyd {

class BackgroundLoop {
 public:
  // Starts running `step` at once on a thread of its own.
  explicit BackgroundLoop(std::function<absl::Duration()> step);
  // Stops: lets a running step finish, then joins.
  ~BackgroundLoop();

  // Runs the next step now (after the running one, if any).
  void Wake();

 private:
  void Run();

  std::function<absl::Duration()> step_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

// Uniformly random in [min, max].
absl::Duration RandomDelay(absl::Duration min, absl::Duration max);

// The wait after `failures` (>= 1) failures in a row: `base` doubled per
// failure, at most `cap`, with the upper half randomised.
absl::Duration BackoffDelay(int failures, absl::Duration base, absl::Duration cap);

}  // namespace policyd

#endif  // POLICYD_SERVICE_MANAGEMENT_BACKGROUND_LOOP_H_
