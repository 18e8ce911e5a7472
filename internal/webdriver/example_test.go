package webdriver_test

import (
	"encoding/json"
	"fmt"

	"github.com/govshare/govshare/internal/webdriver"
)

// The capabilities of a headless Chromium session with its own profile.
func ExampleChromeCapabilities() {
	caps := webdriver.ChromeCapabilities("/usr/bin/chromium", "/tmp/profile", "--window-size=1280,900")
	opts := caps["capabilities"].(map[string]any)["alwaysMatch"].(map[string]any)["goog:chromeOptions"]
	out, _ := json.Marshal(opts)
	fmt.Println(string(out))
	// Output:
	// {"args":["--headless","--no-sandbox","--disable-gpu","--no-first-run","--disable-background-networking","--disable-component-update","--disable-sync","--disable-quic","--disable-dev-shm-usage","--hide-scrollbars","--lang=zh-CN","--user-data-dir=/tmp/profile","--window-size=1280,900"],"binary":"/usr/bin/chromium"}
}
