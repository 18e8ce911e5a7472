package postgres

// Exports of batch.go for the external tests.

// QueuedSaves returns how many Saves wait for the store's next group
// commit.
func QueuedSaves(s *RequestStore) int {
	s.group.mu.Lock()
	defer s.group.mu.Unlock()
	return len(s.group.queue)
}

// MaxSaveBatch is maxSaveBatch.
const MaxSaveBatch = maxSaveBatch
