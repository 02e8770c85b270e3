// Command tempo is a minimal re-implementation of Grafana Tempo's
// cmd/tempo/main.go (which is `package main` and therefore not importable).
// It links the upstream app package from the module pinned in go.mod.
//
// Kept behaviour: -config.file, -config.expand-env, -config.verify, -version,
// the single-binary ring overrides and the gogo gRPC codec registration.
// Dropped: self-tracing (OTEL_* exporters), memory ballast and
// mutex/block profiling flags.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"

	"github.com/drone/envsubst"
	"github.com/go-kit/log/level"
	"github.com/grafana/dskit/flagext"
	dslog "github.com/grafana/dskit/log"
	"github.com/prometheus/client_golang/prometheus"
	ver "github.com/prometheus/client_golang/prometheus/collectors/version"
	"github.com/prometheus/common/version"
	"google.golang.org/grpc/encoding"
	"gopkg.in/yaml.v2"

	"github.com/grafana/tempo/cmd/tempo/app"
	"github.com/grafana/tempo/cmd/tempo/build"
	"github.com/grafana/tempo/pkg/gogocodec"
	"github.com/grafana/tempo/pkg/util/log"
)

// TEMPO_VERSION is the Tempo release this binary is built from. It MUST match
// versions/tempo.ts, and TEMPO_MODULE_VERSION MUST equal the
// github.com/grafana/tempo requirement in go.mod (scripts/e2e-build.sh checks
// the latter). The Go module proxy refuses tempo's v2+/v3+ tags (the module
// path has no /vN suffix), so the commit is addressed by its pseudo-version.
//
// NOTE: this is NOT a 3.x release. No Tempo 3.x commit is obtainable through
// this environment's module proxy; this is the newest Tempo commit it serves
// (main, 2025-05-29, just after v2.8.0-rc.0). See collector/README.md.
const (
	TEMPO_VERSION        = "2.8.0-rc.0+87c2dc380cec"
	TEMPO_MODULE_VERSION = "v1.5.1-0.20250529124718-87c2dc380cec"
)

const appName = "tempo"

func init() {
	build.Version = TEMPO_VERSION
	build.Revision = "87c2dc380ceca577d9c20336875013c059cb9624"
	build.Branch = "main"
	version.Version = build.Version
	version.Revision = build.Revision
	version.Branch = build.Branch
	prometheus.MustRegister(ver.NewCollector(appName))

	// Tempo's gRPC services need the gogo codec; register it before anything dials.
	encoding.RegisterCodec(gogocodec.NewCodec())
}

func main() {
	printVersion := flag.Bool("version", false, "Print this builds version information")

	config, configVerify, err := loadConfig()
	if err != nil {
		fmt.Fprintf(os.Stderr, "failed parsing config: %v\n", err)
		os.Exit(1)
	}
	if *printVersion {
		fmt.Println(version.Print(appName))
		os.Exit(0)
	}

	if reflect.DeepEqual(&config.Server.LogLevel, &dslog.Level{}) {
		level.Error(log.Logger).Log("msg", "invalid log level")
		os.Exit(1)
	}
	log.InitLogger(&config.Server)

	isValid := configIsValid(config)
	if configVerify {
		if !isValid {
			os.Exit(1)
		}
		fmt.Println("config OK")
		os.Exit(0)
	}

	t, err := app.New(*config)
	if err != nil {
		level.Error(log.Logger).Log("msg", "error initialising Tempo", "err", err)
		os.Exit(1)
	}

	level.Info(log.Logger).Log("msg", "Starting Tempo", "version", version.Info(), "target", config.Target)

	if err := t.Run(); err != nil {
		level.Error(log.Logger).Log("msg", "error running Tempo", "err", err)
		os.Exit(1)
	}
}

// configIsValid logs Tempo's configuration warnings; any warning makes
// -config.verify fail, as upstream does.
func configIsValid(config *app.Config) bool {
	warnings := config.CheckConfig()
	if len(warnings) == 0 {
		return true
	}
	level.Warn(log.Logger).Log("msg", "-- CONFIGURATION WARNINGS --")
	for _, w := range warnings {
		output := []any{"msg", w.Message}
		if w.Explain != "" {
			output = append(output, "explain", w.Explain)
		}
		level.Warn(log.Logger).Log(output...)
	}
	return false
}

// ignoredBoolFlag lets the already pre-scanned boolean flags pass the final
// flag.Parse both bare (-config.verify) and with a value (-config.verify=true).
// Upstream registers them with dskit's flagext.IgnoredFlag, which is not a
// boolean flag, so a bare -config.verify there fails with "flag needs an argument".
type ignoredBoolFlag struct{}

func (ignoredBoolFlag) String() string   { return "false" }
func (ignoredBoolFlag) Set(string) error { return nil }
func (ignoredBoolFlag) IsBoolFlag() bool { return true }

func loadConfig() (*app.Config, bool, error) {
	const (
		configFileOption      = "config.file"
		configExpandEnvOption = "config.expand-env"
		configVerifyOption    = "config.verify"
	)

	var (
		configFile      string
		configExpandEnv bool
		configVerify    bool
	)

	// Pre-scan the arguments for the config flags; parsing stops at the first
	// unknown flag, so retry from each position.
	fs := flag.NewFlagSet("", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&configFile, configFileOption, "", "")
	fs.BoolVar(&configExpandEnv, configExpandEnvOption, false, "")
	fs.BoolVar(&configVerify, configVerifyOption, false, "")
	for args := os.Args[1:]; len(args) > 0; args = args[1:] {
		_ = fs.Parse(args)
	}

	config := &app.Config{}
	config.RegisterFlagsAndApplyDefaults("", flag.CommandLine)

	if configFile != "" {
		buff, err := os.ReadFile(configFile)
		if err != nil {
			return nil, false, fmt.Errorf("failed to read configFile %s: %w", configFile, err)
		}
		if configExpandEnv {
			s, err := envsubst.EvalEnv(string(buff))
			if err != nil {
				return nil, false, fmt.Errorf("failed to expand env vars from configFile %s: %w", configFile, err)
			}
			buff = []byte(s)
		}
		if err := yaml.UnmarshalStrict(buff, config); err != nil {
			return nil, false, fmt.Errorf("failed to parse configFile %s: %w", configFile, err)
		}
	}

	config.Overrides.ExpandEnv = configExpandEnv

	// Command-line flags override the file.
	flagext.IgnoredFlag(flag.CommandLine, configFileOption, "Configuration file to load")
	flag.CommandLine.Var(ignoredBoolFlag{}, configExpandEnvOption, "Whether to expand environment variables in config file")
	flag.CommandLine.Var(ignoredBoolFlag{}, configVerifyOption, "Verify configuration and exit")
	flag.Parse()

	// Single-binary mode: rings are in-memory and local.
	if config.Target == app.SingleBinary {
		config.Ingester.LifecyclerConfig.RingConfig.KVStore.Store = "inmemory"
		config.Ingester.LifecyclerConfig.RingConfig.ReplicationFactor = 1
		config.Ingester.LifecyclerConfig.Addr = "127.0.0.1"
		config.Generator.Ring.KVStore.Store = "inmemory"
		config.Generator.Ring.InstanceAddr = "127.0.0.1"
	}

	return config, configVerify, nil
}
