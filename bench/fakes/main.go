// Command fakes serves the MMP and Shop fakes on fixed loopback ports with
// an injected latency, as a process of their own, so that `make
// bench-peers` points our gateway and its peers at the same upstreams and
// the fakes' CPU is not counted in either gateway's process. GET /calls on
// the control address answers the calls each fake has served so far.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	mmpfake "switchboard/sources/mmp/fake"
	shopfake "switchboard/sources/shop/fake"
)

// The credentials the bench configures on both sides.
const (
	clientID     = "bench"
	clientSecret = "bench-secret"
	username     = "bench@switchboard.local"
	password     = "bench-password"
	seed         = 360
)

func main() {
	mmpAddr := flag.String("mmp", "127.0.0.1:18101", "MMP fake address")
	shopAddr := flag.String("shop", "127.0.0.1:18102", "Shop fake address")
	ctlAddr := flag.String("control", "127.0.0.1:18103", "control address (GET /calls)")
	latency := flag.Duration("latency", 20*time.Millisecond, "latency added to every upstream call")
	interfaces := flag.Int("interfaces", 30, "Shop interfaces seeded")
	flag.Parse()

	mmp := mmpfake.New(mmpfake.Options{ClientID: clientID, ClientSecret: clientSecret, Username: username,
		Password: password, Version: "v1", Network: "bench", Seed: seed, Vehicles: 1000})
	shop := shopfake.New(shopfake.Options{ClientID: clientID, ClientSecret: clientSecret, Seed: seed, Interfaces: *interfaces})
	mmp.Knobs.SetLatency(*latency)
	shop.Knobs.SetLatency(*latency)

	ctl := http.NewServeMux()
	ctl.HandleFunc("GET /calls", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]int{"mmp": mmp.Knobs.TotalCalls(), "shop": shop.Knobs.TotalCalls()})
	})
	errc := make(chan error, 3)
	for addr, h := range map[string]http.Handler{*mmpAddr: mmp, *shopAddr: shop, *ctlAddr: ctl} {
		srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 5 * time.Second}
		go func() { errc <- srv.ListenAndServe() }()
	}
	fmt.Printf("MMP http://%s/api (network bench, version v1)\nShop http://%s\ncontrol http://%s/calls\n", *mmpAddr, *shopAddr, *ctlAddr)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	select {
	case err := <-errc:
		log.Fatal(err)
	case <-sig:
	}
}
