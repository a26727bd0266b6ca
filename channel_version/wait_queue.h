// WaitQueue: the threads blocked on one side of a channel, in arrival order.
//
// Each channel has two: its blocked senders and its blocked receivers. An
// entry is a WaitNode, which lives on the stack of the blocked thread and
// points at that thread's Parker. A select that blocks on several channels
// puts one node in each, all pointing at the same Parker.
//
// claim_first() is how a waker finds its partner: it unlinks nodes from the
// front until one whose Parker it can claim. Nodes whose Parker is already
// claimed belong to a select that another channel completed, or to a timed
// wait that gave up; they are dropped on the way, and their owner, seeing
// `linked` false, will not unlink them again.
//
// Thread safety: every member function requires the lock of the channel
// that owns the queue.
#pragma once

#include "channel_version/parker.h"

namespace sharemem::channel_detail {

struct WaitNode {
  Parker* parker = nullptr;
  int case_index = 0;    // which case of a select this node stands for
  void* slot = nullptr;  // where the value is: T* to send, optional<T>*
                         // to receive into
  WaitNode* prev = nullptr;
  WaitNode* next = nullptr;
  bool linked = false;  // in a queue right now
};

class WaitQueue {
 public:
  bool empty() const { return head_ == nullptr; }

  // push_back appends node, which must not be linked.
  void push_back(WaitNode& node) {
    node.prev = tail_;
    node.next = nullptr;
    if (tail_ != nullptr) {
      tail_->next = &node;
    } else {
      head_ = &node;
    }
    tail_ = &node;
    node.linked = true;
  }

  // remove unlinks node if it is still in the queue.
  void remove(WaitNode& node) {
    if (!node.linked) return;
    (node.prev != nullptr ? node.prev->next : head_) = node.next;
    (node.next != nullptr ? node.next->prev : tail_) = node.prev;
    node.prev = node.next = nullptr;
    node.linked = false;
  }

  // claim_first unlinks and returns the first node whose Parker the caller
  // could claim, or nullptr when no node is left.
  WaitNode* claim_first() {
    while (head_ != nullptr) {
      WaitNode* node = head_;
      remove(*node);
      if (node->parker->claim()) return node;
    }
    return nullptr;
  }

 private:
  WaitNode* head_ = nullptr;
  WaitNode* tail_ = nullptr;
};

}  // namespace sharemem::channel_detail
