// ThreadSanitizer annotations for Debian's (uninstrumented) abseil
// synchronization: preloaded into the TSan test runs by
// scripts/sanitizers.sh (LD_PRELOAD), never part of a normal build.
//
// Why: absl::Mutex, absl::CondVar and absl::Notification live in
// libabsl_synchronization.so, built without -fsanitize=thread, so TSan never
// sees them lock or unlock, and every access our code makes under an
// absl::Mutex looks like a race. abseil annotates itself only when it is
// itself built with TSan. This library defines the same (exported,
// interposable) member functions, tells TSan what each one does with the
// same __tsan_mutex_* calls abseil's own TSan build makes, and forwards to
// the real function (dlsym RTLD_NEXT). The calls gRPC and abseil make between
// their own shared libraries go through the PLT, so they are seen too.
//
// Between __tsan_mutex_pre_* and __tsan_mutex_post_* TSan ignores the
// thread's accesses, as abseil's own annotations do, so the conditions that
// LockWhen/Await evaluate inside the library are not reported either.

#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/base/options.h"
#include "absl/synchronization/internal/kernel_timeout.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace {

#define IMPORTAI_STRINGIZE2(x) #x
#define IMPORTAI_STRINGIZE(x) IMPORTAI_STRINGIZE2(x)

// The real function `suffix` names: "_ZN4absl" ("_ZNK4absl" for a const
// member) + the inline namespace (if any) + suffix, e.g. "5Mutex4LockEv" for
// absl::Mutex::Lock().
void* Real(const char* suffix, bool is_const) {
  std::string name = is_const ? "_ZNK4absl" : "_ZN4absl";
#if ABSL_OPTION_USE_INLINE_NAMESPACE
  const char* ns = IMPORTAI_STRINGIZE(ABSL_OPTION_INLINE_NAMESPACE_NAME);
  name += std::to_string(std::strlen(ns)) + ns;
#endif
  name += suffix;
  void* real = dlsym(RTLD_NEXT, name.c_str());
  if (real == nullptr) {
    fprintf(stderr, "tsan_absl_sync: %s not found: %s\n", name.c_str(),
            dlerror());
    abort();
  }
  return real;
}

template <typename F>
F RealFunction(const char* suffix, bool is_const = false) {
  return reinterpret_cast<F>(Real(suffix, is_const));
}

// Set while a wrapper runs its real function: abseil calls its own public
// functions too (AwaitWithTimeout calls AwaitWithDeadline, Notification
// calls Lock...), and those inner calls must not be annotated twice.
thread_local bool in_real = false;

// Runs `real` with in_real set; returns what it returns.
template <typename F>
auto CallReal(F real) {
  struct Reset {
    bool saved;
    ~Reset() { in_real = saved; }
  } reset{in_real};
  in_real = true;
  return real();
}

constexpr unsigned kRead = __tsan_mutex_read_lock;
constexpr unsigned kTry = __tsan_mutex_try_lock;
constexpr unsigned kTryFailed = __tsan_mutex_try_lock_failed;

// Releases `mu` (held as `flags` says) and takes it back around `wait`, as
// abseil's own TSan build annotates Await and CondVar waits. The real wait
// runs between pre_lock and post_lock, so its accesses are ignored.
template <typename Wait>
auto ReleaseAndReacquire(absl::Mutex* mu, unsigned flags, Wait wait) {
  if (in_real) return wait();
  __tsan_mutex_pre_unlock(mu, flags);
  __tsan_mutex_post_unlock(mu, flags);
  __tsan_mutex_pre_lock(mu, flags);
  auto result = CallReal(wait);
  __tsan_mutex_post_lock(mu, flags, 0);
  return result;
}

// Takes `mu` as `flags` says around `lock`, which ends holding it unless
// `flags` has kTry and it returns false.
template <typename Lock>
auto Acquire(absl::Mutex* mu, unsigned flags, Lock lock) {
  if (in_real) return lock();
  __tsan_mutex_pre_lock(mu, flags);
  auto result = CallReal(lock);
  const bool failed = (flags & kTry) && !static_cast<bool>(result);
  __tsan_mutex_post_lock(mu, flags | (failed ? kTryFailed : 0), 0);
  return result;
}

// Gives `mu` up (held as `flags` says) around `unlock`.
template <typename Unlock>
void Release(absl::Mutex* mu, unsigned flags, Unlock unlock) {
  if (in_real) return unlock();
  __tsan_mutex_pre_unlock(mu, flags);
  CallReal([&] { unlock(); return 0; });
  __tsan_mutex_post_unlock(mu, flags);
}

// The address absl::Notification's inline HasBeenNotified() reads with an
// acquire load: its std::atomic<bool> notified_yet_, right after mutex_.
void* NotifiedYet(const absl::Notification* n) {
  static_assert(sizeof(absl::Notification) == 2 * sizeof(absl::Mutex),
                "unexpected absl::Notification layout");
  return const_cast<char*>(reinterpret_cast<const char*>(n)) +
         sizeof(absl::Mutex);
}

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

using synchronization_internal::KernelTimeout;

void Mutex::Lock() {
  static auto real = RealFunction<void (*)(Mutex*)>("5Mutex4LockEv");
  Acquire(this, 0, [&] { real(this); return 0; });
}

void Mutex::ReaderLock() {
  static auto real = RealFunction<void (*)(Mutex*)>("5Mutex10ReaderLockEv");
  Acquire(this, kRead, [&] { real(this); return 0; });
}

bool Mutex::TryLock() {
  static auto real = RealFunction<bool (*)(Mutex*)>("5Mutex7TryLockEv");
  return Acquire(this, kTry, [&] { return real(this); });
}

bool Mutex::ReaderTryLock() {
  static auto real = RealFunction<bool (*)(Mutex*)>("5Mutex13ReaderTryLockEv");
  return Acquire(this, kRead | kTry, [&] { return real(this); });
}

void Mutex::Unlock() {
  static auto real = RealFunction<void (*)(Mutex*)>("5Mutex6UnlockEv");
  Release(this, 0, [&] { real(this); });
}

void Mutex::ReaderUnlock() {
  static auto real = RealFunction<void (*)(Mutex*)>("5Mutex12ReaderUnlockEv");
  Release(this, kRead, [&] { real(this); });
}


void Mutex::LockWhen(const Condition& cond) {
  static auto real =
      RealFunction<void (*)(Mutex*, const Condition*)>(
          "5Mutex8LockWhenERKNS0_9ConditionE");
  Acquire(this, 0, [&] { real(this, &cond); return 0; });
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  static auto real =
      RealFunction<void (*)(Mutex*, const Condition*)>(
          "5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  Acquire(this, kRead, [&] { real(this, &cond); return 0; });
}

bool Mutex::LockWhenWithTimeout(const Condition& cond, Duration timeout) {
  static auto real =
      RealFunction<bool (*)(Mutex*, const Condition*, Duration)>(
          "5Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  return Acquire(this, 0, [&] { return real(this, &cond, timeout); });
}

bool Mutex::ReaderLockWhenWithTimeout(const Condition& cond,
                                      Duration timeout) {
  static auto real =
      RealFunction<bool (*)(Mutex*, const Condition*, Duration)>(
          "5Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  return Acquire(this, kRead, [&] { return real(this, &cond, timeout); });
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, Time deadline) {
  static auto real =
      RealFunction<bool (*)(Mutex*, const Condition*, Time)>(
          "5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  return Acquire(this, 0, [&] { return real(this, &cond, deadline); });
}

bool Mutex::ReaderLockWhenWithDeadline(const Condition& cond, Time deadline) {
  static auto real =
      RealFunction<bool (*)(Mutex*, const Condition*, Time)>(
          "5Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  return Acquire(this, kRead, [&] { return real(this, &cond, deadline); });
}

// Await may give the mutex up while it waits, whichever way it is held; the
// annotations assume a writer lock, which is how this code base uses it.
void Mutex::Await(const Condition& cond) {
  static auto real = RealFunction<void (*)(Mutex*, const Condition*)>(
      "5Mutex5AwaitERKNS0_9ConditionE");
  ReleaseAndReacquire(this, 0, [&] { real(this, &cond); return 0; });
}

bool Mutex::AwaitWithTimeout(const Condition& cond, Duration timeout) {
  static auto real =
      RealFunction<bool (*)(Mutex*, const Condition*, Duration)>(
          "5Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  return ReleaseAndReacquire(this, 0,
                             [&] { return real(this, &cond, timeout); });
}

bool Mutex::AwaitWithDeadline(const Condition& cond, Time deadline) {
  static auto real =
      RealFunction<bool (*)(Mutex*, const Condition*, Time)>(
          "5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  return ReleaseAndReacquire(this, 0,
                             [&] { return real(this, &cond, deadline); });
}

// Wait, WaitWithTimeout and WaitWithDeadline all call this one through the
// PLT, so it is the only CondVar function to annotate.
bool CondVar::WaitCommon(Mutex* mutex, KernelTimeout t) {
  static auto real =
      RealFunction<bool (*)(CondVar*, Mutex*, KernelTimeout)>(
          "7CondVar10WaitCommonEPNS0_5MutexENS0_24synchronization_"
          "internal13KernelTimeoutE");
  return ReleaseAndReacquire(mutex, 0, [&] { return real(this, mutex, t); });
}

// Notify publishes what came before it to whoever sees the notification,
// including through the inline HasBeenNotified().
void Notification::Notify() {
  static auto real =
      RealFunction<void (*)(Notification*)>("12Notification6NotifyEv");
  if (!in_real) __tsan_release(NotifiedYet(this));
  CallReal([&] { real(this); return 0; });
}

void Notification::WaitForNotification() const {
  static auto real = RealFunction<void (*)(const Notification*)>(
      "12Notification19WaitForNotificationEv", true);
  CallReal([&] { real(this); return 0; });
  __tsan_acquire(NotifiedYet(this));
}

bool Notification::WaitForNotificationWithTimeout(Duration timeout) const {
  static auto real = RealFunction<bool (*)(const Notification*, Duration)>(
      "12Notification30WaitForNotificationWithTimeoutENS0_8DurationE", true);
  const bool notified = CallReal([&] { return real(this, timeout); });
  if (notified) __tsan_acquire(NotifiedYet(this));
  return notified;
}

bool Notification::WaitForNotificationWithDeadline(Time deadline) const {
  static auto real = RealFunction<bool (*)(const Notification*, Time)>(
      "12Notification31WaitForNotificationWithDeadlineENS0_4TimeE", true);
  const bool notified = CallReal([&] { return real(this, deadline); });
  if (notified) __tsan_acquire(NotifiedYet(this));
  return notified;
}

ABSL_NAMESPACE_END
}  // namespace absl
