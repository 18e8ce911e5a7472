// Package audittest is the conformance kit of audit.Log: one call, Run,
// tests that a log appends a gapless hash chain, reads and queries it as
// audit.Memory does (Query results equal on the same events), counts it,
// takes signed checkpoints, proves inclusion and consistency, verifies
// itself and stays gapless and valid under concurrent appenders.
// audit.Memory and store/postgres's AuditLog pass it.
//
// # Running it for your own log
//
// A host that keeps the audit trail in another database (达梦, …) builds
// its log on audit.Sealer (NewSettings resolves the options, VerifyRecords
// verifies the stored records) and runs the kit from a test:
//
//	func TestConformance(t *testing.T) {
//		audittest.Run(t, func(t *testing.T) audit.Log {
//			signer, _ := audit.GenerateSM2Signer()
//			l, err := dameng.OpenAuditLog(openTestDB(t), "test", audit.WithSigner(signer))
//			if err != nil {
//				t.Fatal(err)
//			}
//			return l
//		})
//	}
//
// The factory is called once per subtest and must return an empty log
// that can take checkpoints (it has a signer) and that implements
// PublicKeyer, so that the kit can check its signatures and proofs.
package audittest
