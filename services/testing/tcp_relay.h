#ifndef IMPORTAI_SERVICES_TESTING_TCP_RELAY_H_
#define IMPORTAI_SERVICES_TESTING_TCP_RELAY_H_

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace importai::services::testing {

// A loopback TCP relay to `target_port` that a test can freeze: it then
// stops moving bytes either way but keeps both connections open, like a
// peer whose machine died without closing its sockets.
class TcpRelay {
 public:
  explicit TcpRelay(int target_port);
  ~TcpRelay();

  // "127.0.0.1:PORT" to connect to instead of the target.
  std::string address() const;
  void Freeze() { frozen_ = true; }

 private:
  void Accept();
  void Pump(int from, int to);

  const int target_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> frozen_{false};
  std::atomic<bool> stopping_{false};
  std::vector<int> sockets_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace importai::services::testing

#endif  // IMPORTAI_SERVICES_TESTING_TCP_RELAY_H_
