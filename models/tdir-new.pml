/*
 * SPDX-License-Identifier: GPL-2.0
 *
 * The synchronous TDIR protocol, as the TDIR patch implements it ("KVM:
 * arm64: vgic-v3: Make DIR trap everywhere before an SPI reaches an LR"):
 * a packed count/generation, the sticky per-VM eoimode1_seen, per-vCPU
 * tdir_clear (cleared at every exit), a scan of every vCPU's tdir_clear at
 * the count's 0 -> 1 (the SPI's owner included), a SYNC request handled by
 * the SPI's owner with KVM_REQ_OUTSIDE_GUEST_MODE (no request bit, waits),
 * the flush backstop, and TDIR always set for an EOImode=0 vCPU.
 * Expected: all properties hold.  See docs/tdir-model.md.
 *
 * Switches that remove one barrier (each must break a property, or
 * docs/tdir-model.md says why that barrier is not needed):
 *   NO_ENTRY_MB   entry (A): no smp_mb() between the stores of
 *                 eoimode1_seen and tdir_clear and reading the count
 *                 (store-buffering with the linker's (B))
 *   E1S_AFTER_MB  entry: eoimode1_seen written after the count is read,
 *                 outside (A) (tdir_clear still before the smp_mb())
 *   NO_LINK_MB    linker (B): the count's RMW not fully ordered before the
 *                 reads of eoimode1_seen and tdir_clear
 *   NO_SYNC_MB    SYNC (C): no smp_mb() between reading gen and reading
 *                 the tdir_clear mask
 *   NO_MODE_MB    entry: vcpu->mode = IN_GUEST_MODE without smp_store_mb()
 * and that change the protocol:
 *   SCAN_SKIPS_OWNER  the linker's scan skips the SPI's owner (the bug a
 *                 maintainer review found in the first version of the patch)
 *   NO_WAIT       SYNC IPIs but does not wait (no KVM_REQUEST_WAIT)
 *   NO_BACKSTOP   flush does not hold back an SPI of an unsynced generation
 */

#include "tdir-world.pml"

byte gen;		/* the generation half of the packed active_spis */
byte synced;		/* dist->tdir_synced: newest generation synchronised */
bool e1s;		/* dist->eoimode1_seen: some vCPU entered with EOImode=1 (sticky) */
bool tdir_clear[NV];	/* vCPU v may be in the guest with TDIR clear */
bool req_sync[NV];	/* KVM_REQ_VGIC_SYNC_TDIR */

/*
 * Store buffers (explicit weak memory): a store that no barrier orders
 * before a later load of the same CPU waits here, invisible to the other
 * CPUs, until the membus process or a barrier of its CPU (drain) makes it
 * visible.  Only the stores whose barrier a switch removes go through them;
 * with the barrier, store + smp_mb() is one step.
 */
bool sb_tdc[NV];	/* tdir_clear[v] = true, buffered on v's CPU */
bool sb_e1s[NV];	/* eoimode1_seen = true, buffered on v's CPU */
bool sb_mode[NV];	/* mode[v] = IN_GUEST_MODE, buffered on v's CPU */

#if defined(NO_ENTRY_MB) || defined(NO_MODE_MB)
#define MEMBUS
#endif

inline drain(me)
{
	if
	:: sb_tdc[me] -> tdir_clear[me] = 1; sb_tdc[me] = 0
	:: else
	fi;
	if
	:: sb_e1s[me] -> e1s = 1; sb_e1s[me] = 0
	:: else
	fi;
	if
	:: sb_mode[me] -> mode[me] = IN_GUEST; sb_mode[me] = 0
	:: else
	fi
}

#ifdef MEMBUS
/* Any buffered store may become visible at any time; with nothing
 * buffered the process is blocked (an idle system must be able to stop). */
#define MEMBUS_CPU(v) \
	:: atomic { sb_tdc[v] -> tdir_clear[v] = 1; sb_tdc[v] = 0 } \
	:: atomic { sb_e1s[v] -> e1s = 1; sb_e1s[v] = 0 } \
	:: atomic { sb_mode[v] -> mode[v] = IN_GUEST; sb_mode[v] = 0 }
proctype membus()
{
end_membus:
	do
	MEMBUS_CPU(0)
	MEMBUS_CPU(1)
#if NV > 2
	MEMBUS_CPU(2)
#endif
#if NV > 3
#error "membus: NV > 3"
#endif
	od
}
inline start_membus() { run membus() }
#else
inline start_membus() { skip }
#endif

inline enter_mode(me)
{
#ifdef NO_MODE_MB
	sb_mode[me] = 1
#else
	mode[me] = IN_GUEST	/* smp_store_mb() */
#endif
}

#define REQ_PENDING(me)	(req_kick[me] || req_sync[me])

/* vgic_tdir_mark_synced(): tdir_synced = max(tdir_synced, g) */
inline sync_done(g)
{
	atomic {
		if
		:: g > synced -> synced = g
		:: else
		fi
	}
}

/* kvm_vgic_sync_tdir(), from the owner's check_vcpu_requests(): IRQs on,
 * so it takes IPIs while it waits.  kvm_make_vcpus_request_mask(mask,
 * KVM_REQ_OUTSIDE_GUEST_MODE): KVM_REQUEST_NO_ACTION, so no request bit;
 * KVM_REQUEST_WAIT: IPI and wait for every vCPU of the mask whose mode is
 * not OUTSIDE_GUEST_MODE. */
inline do_sync(me)
{
	byte g, v, old;
	bool mask[NV];

#ifdef NO_SYNC_MB
	/* no barrier: the loads of the mask may be satisfied before gen's */
	for (v : 0 .. NV - 1) {
		if
		:: v != me -> mask[v] = tdir_clear[v]
		:: else
		fi
	}
	v = 0;
#endif
	g = gen;
	if
	:: g == synced	/* vgic_tdir_gen_synced(): nothing to do */
	:: else ->
#ifndef NO_SYNC_MB
		/* (C): smp_mb(); the other vCPUs' tdir_clear */
		for (v : 0 .. NV - 1) {
			if
			:: v != me -> mask[v] = tdir_clear[v]
			:: else
			fi
		}
		v = 0;
#endif
		for (v : 0 .. NV - 1) {
			if
			:: mask[v] ->
				/* kvm_vcpu_exiting_guest_mode(): smp_mb__before_atomic();
				 * cmpxchg(mode, IN_GUEST, EXITING); IPI unless OUTSIDE */
				atomic {
					drain(me);
					old = mode[v];
					if
					:: old == IN_GUEST -> mode[v] = EXITING
					:: else
					fi;
					if
					:: old != OUTSIDE -> ipi[v] = 1
					:: else
					fi
				};
#ifndef NO_WAIT
				/* wait for the IPI to be taken (IRQs on again there) */
				if
				:: old != OUTSIDE ->
					do
					:: !ipi[v] -> break
					:: ipi[me] -> ipi[me] = 0
					od
				:: else
				fi;
#endif
				old = 0
			:: else
			fi
		}
		v = 0;
		sync_done(g)
	fi;
	for (v : 0 .. NV - 1) {
		mask[v] = 0
	}
	v = 0;
	g = 0
}

inline handle_requests(me)
{
	bool sync;

	atomic {
		ipi[me] = 0;
		req_kick[me] = 0;
		if
		:: req_sync[me] ->
			req_sync[me] = 0;	/* kvm_check_request(): smp_mb__after_atomic() */
			drain(me);
			sync = 1
		:: else
		fi
	};
	if
	:: sync -> sync = 0; do_sync(me)
	:: else
	fi
}

/* The backstop: no LR for a tracked SPI of a generation not synchronised */
inline flush(me)
{
	for (s : 0 .. NS - 1) {
		if
		:: spi_owner[s] == me && spi_lr[s] == NONE && (spi_pending[s] || spi_active[s]) ->
			if
#ifndef NO_BACKSTOP
			:: gen != synced -> req_sync[me] = 1	/* held back */
#endif
			:: else ->
				spi_lr[s] = me;
				lr_pending[s] = spi_pending[s];
				lr_active[s] = spi_active[s]
			fi
		:: else
		fi
	}
	s = 0
}

/* vgic_v3_tdir_at_entry() */
inline configure_tdir(me)
{
	if
	:: atomic { !eoimode[me] -> tdir[me] = 1; tdir_clear[me] = 0 }
	:: else ->
		/* (A): eoimode1_seen = true; tdir_clear = true; smp_mb(); count */
#if defined(NO_ENTRY_MB)
		sb_e1s[me] = 1;
		sb_tdc[me] = 1;
#elif defined(E1S_AFTER_MB)
		atomic { tdir_clear[me] = 1; drain(me) }
#else
		atomic { e1s = 1; tdir_clear[me] = 1; drain(me) }
#endif
		atomic {
			if
			:: count != 0 -> tdir[me] = 1; tdir_clear[me] = 0; sb_tdc[me] = 0
			:: else -> tdir[me] = 0
			fi
		};
#ifdef E1S_AFTER_MB
		e1s = 1
#else
		skip
#endif
	fi
}

/* kvm_vgic_sync_hwstate(), first thing: out of the guest, so no longer
 * running with TDIR clear (a buffered true is overtaken by this false) */
inline exit_tdir(me)
{
	sb_tdc[me] = 0;
	tdir_clear[me] = 0
}

/* vgic_spi_track_unlink() */
inline count_dec()
{
	count--
}

/* vgic_prune_ap_list() moved SPI s to t */
inline migrated(me, s, t)
{
	if
	:: gen != synced -> req_sync[t] = 1
	:: else
	fi;
	kick(t)
}

/* The linker's scan (B): eoimode1_seen, then every vCPU's tdir_clear (with
 * SCAN_SKIPS_OWNER: every vCPU but the owner t) */
inline scan(t)
{
	seen = e1s;
	if
	:: seen ->
		for (v : 0 .. NV - 1) {
			if
#ifdef SCAN_SKIPS_OWNER
			:: v != t -> clear = clear || tdir_clear[v]
			:: else
#else
			:: clear = clear || tdir_clear[v]
#endif
			fi
		}
		v = 0
	:: else
	fi
}

/* vgic_queue_irq_unlock() of SPI s routed to t: link and count under the
 * ap_list_lock (vgic_spi_track_link(): one fully ordered RMW of count and
 * generation), then vgic_tdir_needs_sync(), then the kick */
inline inject(s, t)
{
	bool linked, first, seen, clear;
	byte v, g;

#ifdef NO_LINK_MB
	/* no full ordering: the scan's loads may be satisfied before the
	 * RMW is visible */
	scan(t);
#endif
	atomic {
		spi_pending[s] = 1;
		if
		:: spi_owner[s] != NONE -> t = spi_owner[s]
		:: else ->
			spi_owner[s] = t;
			linked = 1;
			first = (count == 0);
			count++;
			if
			:: first -> gen++
			:: else
			fi;
			g = gen
		fi
	};
	if
	:: first ->
#ifndef NO_LINK_MB
		scan(t);
#endif
		if
		:: clear -> req_sync[t] = 1
		:: else -> sync_done(g)	/* nobody may be in the guest with TDIR clear */
		fi
	:: linked && !first ->
		/* not the first SPI of this generation: is it synchronised? */
		if
		:: g != synced -> req_sync[t] = 1
		:: else
		fi
	:: else
	fi;
	linked = 0;
	first = 0;
	seen = 0;
	clear = 0;
	g = 0;
	atomic { kick(t) }
}

#include "tdir-procs.pml"
