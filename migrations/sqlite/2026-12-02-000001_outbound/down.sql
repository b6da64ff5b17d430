DROP TABLE outbound;
