package postgres

// Exports of batch.go for the external tests.

// QueuedSaves returns how many Saves wait for the store's next group
// commit.
func QueuedSaves(s *RequestStore) int {
	return s.group.g.Queued()
}

// MaxSaveBatch is maxSaveBatch.
const MaxSaveBatch = maxSaveBatch
