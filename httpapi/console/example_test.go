package console_test

import (
	"fmt"
	"io"
	"net/http/httptest"

	"github.com/govshare/govshare"
	"github.com/govshare/govshare/httpapi/console"
)

// A host serves the console with its headers; the demo picker is for
// demonstrations only, the host's authentication says who acts.
func ExampleHandler() {
	h, err := console.Handler(console.Config{Demo: []console.DemoActor{{
		Token: "demo-wang",
		Actor: govshare.Actor{ID: "wang", Name: "王经办", Role: govshare.Clerk},
	}}})
	if err != nil {
		panic(err)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/config.json", nil))
	body, _ := io.ReadAll(w.Body)
	fmt.Println(w.Code, w.Header().Get("X-Frame-Options"))
	fmt.Println(string(body))
	// Output:
	// 200 DENY
	// {"demo":[{"token":"demo-wang","actor":{"id":"wang","name":"王经办","department":{"name":""},"role":"clerk"}}]}
}
