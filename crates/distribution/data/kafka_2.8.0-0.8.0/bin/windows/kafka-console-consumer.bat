@echo off
rem Kafka Playground: Kafka 0.8.0's bin\windows\kafka-console-consumer.bat, for Windows; it does not run in this Linux shell.
