#include "services/testing/tcp_relay.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"

namespace importai::services::testing {
namespace {

sockaddr_in Loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

}  // namespace

TcpRelay::TcpRelay(int target_port) : target_port_(target_port) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = Loopback(0);
  bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  listen(listen_fd_, 4);
  socklen_t size = sizeof(address);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &size);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { Accept(); });
}

TcpRelay::~TcpRelay() {
  stopping_ = true;
  shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  for (int fd : sockets_) shutdown(fd, SHUT_RDWR);
  for (std::thread& thread : threads_) thread.join();
  for (int fd : sockets_) close(fd);
  close(listen_fd_);
}

std::string TcpRelay::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

void TcpRelay::Accept() {
  while (!stopping_) {
    const int client = accept(listen_fd_, nullptr, nullptr);
    if (client < 0) return;
    const int server = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in target = Loopback(target_port_);
    if (connect(server, reinterpret_cast<sockaddr*>(&target), sizeof(target)) !=
        0) {
      close(client);
      close(server);
      continue;
    }
    sockets_.push_back(client);
    sockets_.push_back(server);
    threads_.emplace_back([this, client, server] { Pump(client, server); });
    threads_.emplace_back([this, client, server] { Pump(server, client); });
  }
}

void TcpRelay::Pump(int from, int to) {
  char buffer[16 << 10];
  while (!stopping_) {
    if (frozen_) {  // hold the bytes: neither read nor write, nor close
      usleep(10'000);
      continue;
    }
    pollfd readable = {from, POLLIN, 0};
    if (poll(&readable, 1, 50) <= 0) continue;
    const ssize_t got = recv(from, buffer, sizeof(buffer), 0);
    if (got <= 0) return;
    if (frozen_) return;  // a frozen peer sends nothing more
    for (ssize_t sent = 0; sent < got;) {
      const ssize_t n = send(to, buffer + sent, got - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += n;
    }
  }
}

}  // namespace importai::services::testing
