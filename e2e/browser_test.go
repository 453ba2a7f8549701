package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestGraphiQLInBrowser drives the GraphiQL page in headless Chromium: the
// page loads offline from embedded assets, introspects the schema, runs the
// preloaded vehicle query with the demo key, and shows its answer. The
// screenshot is written to $ARTIFACTS_DIR (default: the test's temp dir).
// Then it runs the callEvents subscription from its tab and sees a call
// the PBX announces arrive live.
func TestGraphiQLInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (.ci/run installs it)")
	}
	g := startGateway(t, nil)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1400, 900), chromedp.UserDataDir(t.TempDir()))
	actx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()

	var result string
	err = chromedp.Do(ctx,
		chromedp.Navigate(g.url+"/"),
		chromedp.WaitVisible(`.graphiql-execute-button`),
		chromedp.Sleep(time.Second), // let GraphiQL finish introspection
		chromedp.Click(`.graphiql-execute-button`),
	)
	if err == nil {
		result, err = chromedp.Run(ctx, chromedp.Poll[string](
			`(() => { const t = (document.querySelector('.result-window') || {}).innerText || ''; return t.includes('AB123CD') ? t : false })()`,
			chromedp.WithPollingTimeout(20*time.Second)))
	}
	screenshot(ctx, t, "graphiql.png")
	if err != nil {
		t.Fatalf("browser: %v (result pane: %q)", err, result)
	}
	if strings.Contains(result, `"errors"`) {
		t.Fatalf("the query answered errors: %s", result)
	}

	// The live call events tab: run the subscription, then let the PBX
	// announce a call; the event shows in the result pane.
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](
		`(() => { const b = [...document.querySelectorAll('.graphiql-tab-button')].find(b => b.innerText.trim() === 'LiveCallEvents'); if (!b) return false; b.click(); return true })()`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err == nil {
		err = chromedp.Do(ctx, chromedp.Sleep(500*time.Millisecond), chromedp.Click(`.graphiql-execute-button`), chromedp.Sleep(time.Second))
	}
	if err != nil {
		screenshot(ctx, t, "graphiql-subscription.png")
		t.Fatalf("subscription tab: %v", err)
	}
	if st, body := g.webhook(form("cmd", "event", "crm_token", sandboxCRMToken, "type", "INCOMING", "phone", "0612345678", "user", "user1", "callid", "browser-1")); st != 200 {
		t.Fatalf("webhook: %d %s", st, body)
	}
	result, err = chromedp.Run(ctx, chromedp.Poll[string](
		`(() => { const t = (document.querySelector('.result-window') || {}).innerText || ''; return t.includes('browser-1') ? t : false })()`,
		chromedp.WithPollingTimeout(15*time.Second)))
	screenshot(ctx, t, "graphiql-subscription.png")
	if err != nil || !strings.Contains(result, "INCOMING") {
		t.Fatalf("callEvents in the page: %v (result pane: %q)", err, result)
	}
}

// screenshot saves the page as name in $ARTIFACTS_DIR (default: a temp dir).
func screenshot(ctx context.Context, t *testing.T, name string) {
	t.Helper()
	shot, _ := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	dir := os.Getenv("ARTIFACTS_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	if len(shot) > 0 {
		path := filepath.Join(dir, name)
		if werr := os.WriteFile(path, shot, 0o644); werr == nil {
			t.Logf("screenshot: %s", path)
		}
	}
}
