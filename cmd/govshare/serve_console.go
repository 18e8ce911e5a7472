package main

import "github.com/govshare/govshare/httpapi/console"

// consoleConfig is what serve tells the console: with --demo, the demo
// actor picker (the public demo tokens, in the order serve prints them);
// otherwise the token field, for the tokens of --tokens. The console
// authenticates no one either way: the token is checked by serve's
// ActorFunc, as every API request's.
func consoleConfig(demo bool) console.Config {
	if !demo {
		return console.Config{Token: true}
	}
	cfg := console.Config{}
	for _, tok := range demoTokenOrder {
		cfg.Demo = append(cfg.Demo, console.DemoActor{Token: tok, Actor: demoTokens[tok]})
	}
	return cfg
}
