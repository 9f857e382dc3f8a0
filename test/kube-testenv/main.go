// kube-testenv runs etcd (embedded) and the stock kube-apiserver command in one
// process, so crashtop's tests can talk to a real API server.
//
// Environment: TESTENV_DIR (data dir), TESTENV_ETCD_CLIENT_PORT, TESTENV_ETCD_PEER_PORT.
// Arguments are passed to kube-apiserver; --etcd-servers is appended.
package main

import (
	"fmt"
	"net/url"
	"os"
	"time"

	_ "time/tzdata"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	// Answer --version/--help without starting etcd: etcd's defaults would
	// listen on :2379 and write to ./default.etcd.
	for _, a := range os.Args[1:] {
		if a == "--version" || a == "--help" || a == "-h" {
			cmd := app.NewAPIServerCommand()
			cmd.SetArgs(os.Args[1:])
			os.Exit(cli.Run(cmd))
		}
	}
	dir, cport, pport := os.Getenv("TESTENV_DIR"), os.Getenv("TESTENV_ETCD_CLIENT_PORT"), os.Getenv("TESTENV_ETCD_PEER_PORT")
	if dir == "" || cport == "" || pport == "" {
		fmt.Fprintln(os.Stderr, "kube-testenv: set TESTENV_DIR, TESTENV_ETCD_CLIENT_PORT and TESTENV_ETCD_PEER_PORT")
		os.Exit(2)
	}
	cu := url.URL{Scheme: "http", Host: "127.0.0.1:" + cport}
	pu := url.URL{Scheme: "http", Host: "127.0.0.1:" + pport}
	cfg := embed.NewConfig()
	cfg.Name, cfg.Dir = "testenv", dir+"/etcd"
	cfg.UnsafeNoFsync, cfg.LogLevel = true, "error"
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{cu}, []url.URL{cu}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{pu}, []url.URL{pu}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kube-testenv: etcd:", err)
		os.Exit(1)
	}
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(60 * time.Second):
		fmt.Fprintln(os.Stderr, "kube-testenv: etcd not ready after 60s")
		os.Exit(1)
	}
	cmd := app.NewAPIServerCommand()
	cmd.SetArgs(append(os.Args[1:], "--etcd-servers="+cu.String()))
	code := cli.Run(cmd) // returns after SIGTERM/SIGINT
	e.Close()
	os.Exit(code)
}
