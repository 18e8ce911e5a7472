package catalog

import (
	"context"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/classify"
)

// Store keeps catalog entries with every version (R5: catalogs are
// updated dynamically, and an application must be judged against the
// entry as it stood). Implementations are safe for concurrent use and
// update with optimistic versions: a write names the version it expects
// and fails with an error matching govshare.ErrConflict (a *ConflictError)
// if another write came first.
//
// Every write stores a new version: Put a draft, Publish a published
// version, Withdraw a withdrawn one. The published version stays in force
// while a newer draft is edited, until the next Publish or a Withdraw;
// Published returns it. The store sets Status, Version, UpdatedAt and
// PublishedAt.
type Store interface {
	// Get returns the latest version of the entry (govshare.ErrNotFound,
	// a *NotFoundError, if there is none).
	Get(ctx context.Context, id string) (Entry, error)
	// Version returns one version of the entry (govshare.ErrNotFound).
	Version(ctx context.Context, id string, version int64) (Entry, error)
	// Published returns the version in force, the one departments may
	// request (R5); govshare.ErrNotFound if the entry does not exist,
	// ErrStatus if it was never published or has been withdrawn.
	Published(ctx context.Context, id string) (Entry, error)
	// Put stores e as a new draft version. expected is the version the
	// caller read, 0 to create the entry. govshare.ErrConflict (a
	// *ConflictError) if the latest version is another (or the entry
	// exists when creating), govshare.ErrNotFound if expected > 0 and the
	// entry does not exist, ErrInvalidID if e.ID does not match the
	// store's pattern.
	Put(ctx context.Context, e Entry, expected int64) (Entry, error)
	// Publish validates the latest version and, if no finding is an
	// error, stores it as a new published version in force. A refusal
	// is a *PublishError carrying the findings (ErrNotPublishable); the
	// returned findings are the warnings of a successful publication.
	// ErrStatus if the latest version is already published.
	Publish(ctx context.Context, id string, expected int64) (Entry, []govshare.Finding, error)
	// Withdraw takes the entry out of the catalog: a new withdrawn
	// version; the published one is no longer in force. ErrStatus if no
	// version is in force.
	Withdraw(ctx context.Context, id string, expected int64) (Entry, error)
	// History returns every version of the entry, oldest first.
	History(ctx context.Context, id string) ([]Entry, error)
	// Find returns the entries matching q, most recently changed first.
	Find(ctx context.Context, q Query) (Result, error)
}

// Query selects entries for Find. Zero fields do not filter; the others
// must all match.
type Query struct {
	// Text matches entries whose 目录代码, name, summary, provider name or
	// data-item names contain it (ignoring ASCII case and full width).
	Text string `json:"text,omitempty"`
	// Provider matches the provider's 统一社会信用代码 or its name.
	Provider string `json:"provider,omitempty"`
	// Region matches providers in the division: a province code
	// (330000) matches its whole province, a city code (330100) its
	// whole city, a county code that county.
	Region string `json:"region,omitempty"`
	// Share matches the entry's share attribute.
	Share govshare.ShareAttribute `json:"share,omitempty"`
	// Method matches entries offering the method.
	Method govshare.ShareMethod `json:"method,omitempty"`
	// Grade matches the entry's grade exactly.
	Grade classify.Grade `json:"grade,omitempty"`
	// Status selects which version is matched and returned. Zero means
	// any status: the latest version of each entry. Draft and Withdrawn
	// match entries whose latest version has that status. Published
	// matches the versions in force — what departments may request —
	// even while a newer draft is being edited.
	Status Status `json:"status,omitempty"`
	// Offset skips that many matches; Limit returns at most that many
	// (DefaultLimit when 0, at most MaxLimit).
	Offset int `json:"offset,omitempty"`
	Limit  int `json:"limit,omitempty"` // see Offset
}

// Paging limits of Find.
const (
	DefaultLimit = 20
	MaxLimit     = 1000
)

// Result is one page of matches.
type Result struct {
	// Entries are the page, most recently changed first.
	Entries []Entry `json:"entries"`
	// Total is the number of matches on all pages.
	Total int `json:"total"`
}
