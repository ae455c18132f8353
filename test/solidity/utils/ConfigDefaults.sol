// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ClusterConfig} from "../../../contracts/governance/ClusterConfig.sol";
import {IClusterConfig} from "../../../contracts/interfaces/IClusterConfig.sol";

/// @notice Cluster configurations for tests that need a registry: the given registration limits, and the
///         Ignition module's defaults (ignition/modules/ClusterConfig.ts) for every other parameter.
library ConfigDefaults {
    /// @dev Parameters with the given limits and the module's defaults otherwise (all within bounds).
    function params(
        uint256 maxFanOut,
        uint256 maxDepth,
        uint256 minStake
    ) internal pure returns (IClusterConfig.Params memory) {
        return
            IClusterConfig.Params({
                forcedDeadline: 7 days,
                forcedFee: 1e15,
                forcedPerBlock: 10,
                electionVotingPeriod: 3 days,
                electionBond: 1 ether,
                maxFanOut: maxFanOut,
                maxDepth: maxDepth,
                minStake: minStake,
                upgradeDelay: 7 days,
                pauseDuration: 90 days,
                delta: 1 hours
            });
    }

    /// @dev A configuration whose governance (DEFAULT_ADMIN_ROLE) and guardian are both `owner`.
    function deploy(
        address owner,
        uint256 maxFanOut,
        uint256 maxDepth,
        uint256 minStake
    ) internal returns (ClusterConfig) {
        return new ClusterConfig(owner, owner, params(maxFanOut, maxDepth, minStake));
    }
}
