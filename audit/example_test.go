package audit_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/deadline"
)

var (
	civilAffairs = govshare.Department{Name: "某市民政局", CreditCode: "113301000024820764", RegionCode: "330100", Level: govshare.City}
	clerk        = govshare.Actor{ID: "u-10001", Name: "张三", Department: civilAffairs, Role: govshare.Clerk}
	officeHead   = govshare.Actor{ID: "u-10002", Name: "王芳", Department: civilAffairs, Role: govshare.OfficeHead}
	receivedAt   = time.Date(2026, time.September, 29, 15, 0, 0, 0, deadline.CST)
	// In production the key comes from a key management system or a 密码机,
	// never from the code; 32 random bytes.
	hmacKey = []byte("example-key-not-for-production!!")
)

// A department's application goes into a keyed in-memory log; a signed
// checkpoint and an inclusion proof let a supervisor check one record
// offline, and Verify checks the whole log.
func Example() {
	ctx := context.Background()
	signer, err := audit.GenerateSM2Signer() // SM2, the default; an HSM can implement audit.Signer
	if err != nil {
		panic(err)
	}
	log, err := audit.NewMemory(audit.WithKey(hmacKey), audit.WithSigner(signer))
	if err != nil {
		panic(err)
	}
	submitted, err := log.Append(ctx, audit.Event{
		Time:    receivedAt,
		Actor:   clerk,
		Action:  "request.submit",
		Target:  audit.Target{Kind: "application", ID: "SQ-2026-0001"},
		Outcome: audit.Success,
		Details: []byte(`{"items": ["姓名", "身份证号"], "entry": "CAT-330100-0042"}`),
	})
	if err != nil {
		panic(err)
	}
	approved, err := log.Append(ctx, audit.Event{
		Time:    receivedAt.Add(2 * time.Hour),
		Actor:   officeHead,
		Action:  "request.approve",
		Target:  audit.Target{Kind: "application", ID: "SQ-2026-0001"},
		Outcome: audit.Success,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(submitted.Seq, submitted.Event.Action, submitted.Event.Actor, string(submitted.Event.Details))
	fmt.Println(approved.Seq, approved.Event.Action, approved.Event.Actor, approved.Prev == submitted.Hash)

	cp, err := log.Checkpoint(ctx)
	if err != nil {
		panic(err)
	}
	proof, err := log.ProveInclusion(ctx, submitted.Seq, cp.Size)
	if err != nil {
		panic(err)
	}
	fmt.Println("checkpoint of", cp.Size, "records, proof of", len(proof.Hashes), "hash")
	fmt.Println("record 0 included:", audit.VerifyInclusion(signer.Public(), cp, submitted, proof) == nil)
	fmt.Println("log verifies:", log.Verify(ctx) == nil)
	// Output:
	// 0 request.submit 张三（经办人，某市民政局） {"entry":"CAT-330100-0042","items":["姓名","身份证号"]}
	// 1 request.approve 王芳（工作机构负责人，某市民政局） true
	// checkpoint of 2 records, proof of 1 hash
	// record 0 included: true
	// log verifies: true
}

// A file log survives restarts. One writer holds the file; readers open it
// read-only, for instance to answer a supervisor's query.
func ExampleOpenFile() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "audit-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "audit.log")

	w, err := audit.OpenFile(ctx, path, audit.WithKey(hmacKey))
	if err != nil {
		panic(err)
	}
	for i, a := range []govshare.Actor{clerk, officeHead, clerk} {
		_, err := w.Append(ctx, audit.Event{
			Time:    receivedAt.Add(time.Duration(i) * time.Minute),
			Actor:   a,
			Action:  "catalog.publish",
			Target:  audit.Target{Kind: "catalog.entry", ID: fmt.Sprintf("CAT-330100-%04d", 40+i)},
			Outcome: audit.Success,
		}) // returns once the record is on disk
		if err != nil {
			panic(err)
		}
	}
	_, err = audit.OpenFile(ctx, path, audit.WithKey(hmacKey))
	fmt.Println("second writer refused:", errors.Is(err, audit.ErrLocked))

	r, err := audit.OpenFile(ctx, path, audit.ReadOnly(), audit.WithKey(hmacKey))
	if err != nil {
		panic(err)
	}
	defer r.Close()
	for rec, err := range r.Query(ctx, audit.Filter{Actor: clerk.ID, Action: "catalog."}) {
		if err != nil {
			panic(err)
		}
		fmt.Println(rec.Seq, rec.Event.Time.Format("15:04"), rec.Event.Target.ID)
	}
	fmt.Println("verifies:", r.Verify(ctx) == nil)
	w.Close()
	// Output:
	// second writer refused: true
	// 0 15:00 CAT-330100-0040
	// 2 15:02 CAT-330100-0042
	// verifies: true
}

// A bundle carries a range of records to a supervisor, who checks it
// against the log's public key alone; any change shows, with the record
// and what is wrong.
func ExampleBundle_Verify() {
	ctx := context.Background()
	signer, err := audit.GenerateSM2Signer()
	if err != nil {
		panic(err)
	}
	log, err := audit.NewMemory(audit.WithKey(hmacKey), audit.WithSigner(signer))
	if err != nil {
		panic(err)
	}
	for i := range 5 {
		_, err := log.Append(ctx, audit.Event{
			Time: receivedAt.Add(time.Duration(i) * time.Hour), Actor: clerk,
			Action: "grant.access", Target: audit.Target{Kind: "grant", ID: "G-7"}, Outcome: audit.Success,
		})
		if err != nil {
			panic(err)
		}
	}
	cp, err := log.Checkpoint(ctx)
	if err != nil {
		panic(err)
	}
	bundle, err := audit.ExportBundle(ctx, log, cp, 1, 4) // records 1, 2 and 3
	if err != nil {
		panic(err)
	}
	var sent bytes.Buffer
	if _, err := bundle.WriteTo(&sent); err != nil {
		panic(err)
	}

	received, err := audit.ReadBundle(ctx, &sent)
	if err != nil {
		panic(err)
	}
	fmt.Println("as sent:", received.Verify(signer.Public(), nil))
	received.Records[1].Event.Time = received.Records[1].Event.Time.Add(-time.Hour)
	err = received.Verify(signer.Public(), nil)
	var ve *audit.VerifyError
	if errors.As(err, &ve) {
		fmt.Println("changed:", ve.Seq, ve.Kind, ve.Kind.English())
	}
	// Output:
	// as sent: <nil>
	// changed: 2 记录被篡改 record modified
}

// A store that keeps the log in its own database computes each record with
// a Sealer inside the transaction that stores the state change, so both
// are committed or neither. Here a map and a mutex stand in for the tables
// and the transaction.
func ExampleSealer() {
	header, err := audit.NewHeader(audit.WithKey(hmacKey)) // saved once, when the log is created
	if err != nil {
		panic(err)
	}
	sealer, err := audit.NewSealer(header, hmacKey)
	if err != nil {
		panic(err)
	}
	var head audit.Head // SELECT size, hash FROM audit_head FOR UPDATE
	table := map[uint64]audit.Sealed{}
	for _, action := range []audit.Action{"request.submit", "request.approve"} {
		sealed, err := sealer.Seal(head, audit.Event{
			Time: receivedAt, Actor: clerk, Action: action,
			Target: audit.Target{Kind: "application", ID: "SQ-2026-0001"}, Outcome: audit.Success,
		})
		if err != nil {
			panic(err) // ROLLBACK: neither the transition nor its record
		}
		table[sealed.Record.Seq] = sealed // INSERT INTO audit_records …
		head = audit.Head{Size: head.Size + 1, Hash: sealed.Record.Hash}
		// UPDATE applications …; COMMIT
	}
	fmt.Println(len(table), table[1].Record.Prev == table[0].Record.Hash)
	// Output: 2 true
}
