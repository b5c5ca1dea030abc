//! ZooKeeper's error codes (`KeeperException.Code`) with their numbers and
//! the texts `KeeperException.getMessage()` prints.

use std::fmt;

/// A `KeeperException.Code` other than OK.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ErrorCode {
    SystemError,
    RuntimeInconsistency,
    DataInconsistency,
    ConnectionLoss,
    MarshallingError,
    Unimplemented,
    OperationTimeout,
    BadArguments,
    ApiError,
    NoNode,
    NoAuth,
    BadVersion,
    NoChildrenForEphemerals,
    NodeExists,
    NotEmpty,
    SessionExpired,
    InvalidCallback,
    InvalidAcl,
    AuthFailed,
    SessionMoved,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 20] = [
        ErrorCode::SystemError,
        ErrorCode::RuntimeInconsistency,
        ErrorCode::DataInconsistency,
        ErrorCode::ConnectionLoss,
        ErrorCode::MarshallingError,
        ErrorCode::Unimplemented,
        ErrorCode::OperationTimeout,
        ErrorCode::BadArguments,
        ErrorCode::ApiError,
        ErrorCode::NoNode,
        ErrorCode::NoAuth,
        ErrorCode::BadVersion,
        ErrorCode::NoChildrenForEphemerals,
        ErrorCode::NodeExists,
        ErrorCode::NotEmpty,
        ErrorCode::SessionExpired,
        ErrorCode::InvalidCallback,
        ErrorCode::InvalidAcl,
        ErrorCode::AuthFailed,
        ErrorCode::SessionMoved,
    ];

    /// The code's number on the wire and in `ErrorTxn`s.
    pub fn value(self) -> i32 {
        match self {
            ErrorCode::SystemError => -1,
            ErrorCode::RuntimeInconsistency => -2,
            ErrorCode::DataInconsistency => -3,
            ErrorCode::ConnectionLoss => -4,
            ErrorCode::MarshallingError => -5,
            ErrorCode::Unimplemented => -6,
            ErrorCode::OperationTimeout => -7,
            ErrorCode::BadArguments => -8,
            ErrorCode::ApiError => -100,
            ErrorCode::NoNode => -101,
            ErrorCode::NoAuth => -102,
            ErrorCode::BadVersion => -103,
            ErrorCode::NoChildrenForEphemerals => -108,
            ErrorCode::NodeExists => -110,
            ErrorCode::NotEmpty => -111,
            ErrorCode::SessionExpired => -112,
            ErrorCode::InvalidCallback => -113,
            ErrorCode::InvalidAcl => -114,
            ErrorCode::AuthFailed => -115,
            ErrorCode::SessionMoved => -118,
        }
    }

    pub fn from_value(value: i32) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.value() == value)
    }

    /// `KeeperException.getCodeMessage`.
    pub fn text(self) -> &'static str {
        match self {
            ErrorCode::SystemError => "SystemError",
            ErrorCode::RuntimeInconsistency => "RuntimeInconsistency",
            ErrorCode::DataInconsistency => "DataInconsistency",
            ErrorCode::ConnectionLoss => "ConnectionLoss",
            ErrorCode::MarshallingError => "MarshallingError",
            ErrorCode::Unimplemented => "Unimplemented",
            ErrorCode::OperationTimeout => "OperationTimeout",
            ErrorCode::BadArguments => "BadArguments",
            ErrorCode::ApiError => "APIError",
            ErrorCode::NoNode => "NoNode",
            ErrorCode::NoAuth => "NoAuth",
            ErrorCode::BadVersion => "BadVersion",
            ErrorCode::NoChildrenForEphemerals => "NoChildrenForEphemerals",
            ErrorCode::NodeExists => "NodeExists",
            ErrorCode::NotEmpty => "Directory not empty",
            ErrorCode::SessionExpired => "Session expired",
            ErrorCode::InvalidCallback => "Invalid callback",
            ErrorCode::InvalidAcl => "InvalidACL",
            ErrorCode::AuthFailed => "AuthFailed",
            ErrorCode::SessionMoved => "Session moved",
        }
    }

    /// The Java exception class (`KeeperException$NoNodeException`).
    pub fn exception(self) -> &'static str {
        match self {
            ErrorCode::SystemError => "SystemErrorException",
            ErrorCode::RuntimeInconsistency => "RuntimeInconsistencyException",
            ErrorCode::DataInconsistency => "DataInconsistencyException",
            ErrorCode::ConnectionLoss => "ConnectionLossException",
            ErrorCode::MarshallingError => "MarshallingErrorException",
            ErrorCode::Unimplemented => "UnimplementedException",
            ErrorCode::OperationTimeout => "OperationTimeoutException",
            ErrorCode::BadArguments => "BadArgumentsException",
            ErrorCode::ApiError => "APIErrorException",
            ErrorCode::NoNode => "NoNodeException",
            ErrorCode::NoAuth => "NoAuthException",
            ErrorCode::BadVersion => "BadVersionException",
            ErrorCode::NoChildrenForEphemerals => "NoChildrenForEphemeralsException",
            ErrorCode::NodeExists => "NodeExistsException",
            ErrorCode::NotEmpty => "NotEmptyException",
            ErrorCode::SessionExpired => "SessionExpiredException",
            ErrorCode::InvalidCallback => "InvalidCallbackException",
            ErrorCode::InvalidAcl => "InvalidACLException",
            ErrorCode::AuthFailed => "AuthFailedException",
            ErrorCode::SessionMoved => "SessionMovedException",
        }
    }
}

/// A failed operation: the code and the path it concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeeperError {
    pub code: ErrorCode,
    pub path: Option<String>,
}

impl KeeperError {
    pub fn new(code: ErrorCode, path: &str) -> KeeperError {
        KeeperError {
            code,
            path: Some(path.to_owned()),
        }
    }

    pub fn bare(code: ErrorCode) -> KeeperError {
        KeeperError { code, path: None }
    }
}

impl fmt::Display for KeeperError {
    /// `KeeperErrorCode = NoNode for /x`, as `getMessage()` says it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeeperErrorCode = {}", self.code.text())?;
        if let Some(path) = &self.path {
            write!(f, " for {path}")?;
        }
        Ok(())
    }
}

impl std::error::Error for KeeperError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_numbers_are_zookeepers() {
        assert_eq!(
            KeeperError::new(ErrorCode::NoNode, "/x").to_string(),
            "KeeperErrorCode = NoNode for /x"
        );
        assert_eq!(
            KeeperError::new(ErrorCode::NotEmpty, "/brokers").to_string(),
            "KeeperErrorCode = Directory not empty for /brokers"
        );
        assert_eq!(
            KeeperError::bare(ErrorCode::ConnectionLoss).to_string(),
            "KeeperErrorCode = ConnectionLoss"
        );
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_value(code.value()), Some(code));
        }
        assert_eq!(ErrorCode::NodeExists.value(), -110);
    }
}
