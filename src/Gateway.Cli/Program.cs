using Gateway.Cli;

// gatewayctl: the engineer's tool. Commands are added per capability (see `gatewayctl --help`).
return GatewayCtl.Run(args, Console.Out, Console.Error);
